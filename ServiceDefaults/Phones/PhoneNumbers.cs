using PhoneNumbers;

namespace TeamPlatform.ServiceDefaults.Phones;

/// <summary>Phone numbers as TeamPlatform takes, stores and shows them: E.164, masked wherever they are logged.</summary>
public static class PhoneNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Accepts <c>+</c> and digits (spaces and dashes ignored) that form a valid number for its country,
    /// and gives it back in E.164. Anything else is refused: no national formats, no guessing a country.
    /// </summary>
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return false;
        }

        var compact = string.Concat(input.Where(c => c is not (' ' or '-')));
        if (compact.Length < 8 || compact[0] != '+' || !compact.AsSpan(1).ContainsOnlyDigits())
        {
            return false;
        }

        try
        {
            var number = Util.Parse(compact, null);
            if (!Util.IsValidNumber(number))
            {
                return false;
            }

            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>For logs, traces and lists shown to non-owners: <c>+44*******23</c>.</summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "";
        }

        if (phone.Length <= 5)
        {
            return new string('*', phone.Length);
        }

        return string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 5), phone.AsSpan(phone.Length - 2));
    }
}

internal static class SpanExtensions
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return span.Length > 0;
    }
}
