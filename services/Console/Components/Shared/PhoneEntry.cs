using PhoneNumbers;

namespace TeamPlatform.Console.Components.Shared;

public sealed record Country(string Region, string Name, int CallingCode)
{
    public string Label => Region.Length == 0 ? Name : $"{Name} (+{CallingCode})";
}

/// <summary>
/// A WhatsApp number as a person types it: with its country code, or in their country's own format once they pick the
/// country. The API takes E.164; what cannot be read is sent as typed, and the API's refusal says why.
/// </summary>
public static class PhoneEntry
{
    public static readonly Country International = new("", "Number with country code", 0);

    public static readonly IReadOnlyList<Country> Countries =
    [
        International,
        .. new Country[]
        {
            new("AR", "Argentina", 54), new("AU", "Australia", 61), new("BD", "Bangladesh", 880), new("BR", "Brazil", 55),
            new("CA", "Canada", 1), new("CO", "Colombia", 57), new("CD", "DR Congo", 243), new("EG", "Egypt", 20),
            new("ET", "Ethiopia", 251), new("FR", "France", 33), new("DE", "Germany", 49), new("GH", "Ghana", 233),
            new("IN", "India", 91), new("ID", "Indonesia", 62), new("IE", "Ireland", 353), new("IT", "Italy", 39),
            new("KE", "Kenya", 254), new("MW", "Malawi", 265), new("MX", "Mexico", 52), new("MZ", "Mozambique", 258),
            new("NL", "Netherlands", 31), new("NZ", "New Zealand", 64), new("NG", "Nigeria", 234), new("PK", "Pakistan", 92),
            new("PE", "Peru", 51), new("PH", "Philippines", 63), new("RW", "Rwanda", 250), new("SN", "Senegal", 221),
            new("ZA", "South Africa", 27), new("ES", "Spain", 34), new("TZ", "Tanzania", 255), new("UG", "Uganda", 256),
            new("GB", "United Kingdom", 44), new("US", "United States", 1), new("ZM", "Zambia", 260), new("ZW", "Zimbabwe", 263),
        },
    ];

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string ToE164(Country country, string? typed)
    {
        var text = (typed ?? "").Trim();
        if (text.Length == 0)
        {
            return text;
        }

        try
        {
            var number = Util.Parse(text, text.StartsWith('+') || country.Region.Length == 0 ? null : country.Region);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : text;
        }
        catch (NumberParseException)
        {
            return text;
        }
    }
}
