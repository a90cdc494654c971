using System.Text;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Channels.WhatsApp;
using Xunit;

namespace TeamPlatform.Notifications.Tests.Unit;

public sealed class SignatureAndErrorTests
{
    [Fact]
    public void A_whatsapp_signature_is_valid_only_for_the_same_body_and_secret()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account"}""");
        var signature = WhatsAppSignature.Sign(body, "secret");

        Assert.True(WhatsAppSignature.IsValid(body, signature, "secret"));
        Assert.True(WhatsAppSignature.IsValid(body, signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), "secret"));
        Assert.False(WhatsAppSignature.IsValid(body, signature, "other"));
        Assert.False(WhatsAppSignature.IsValid(Encoding.UTF8.GetBytes("{}"), signature, "secret"));
        Assert.False(WhatsAppSignature.IsValid(body, null, "secret"));
        Assert.False(WhatsAppSignature.IsValid(body, signature, ""));
    }

    [Theory]
    [InlineData("The 'To' number +254711234567 is not a valid phone number.", "The 'To' number *** is not a valid phone number.")]
    [InlineData("Recipient 254 711 234-567 not on WhatsApp", "Recipient *** not on WhatsApp")]
    [InlineData("Error 131026", "Error 131026")]
    [InlineData(null, "")]
    public void Provider_errors_lose_phone_numbers_but_keep_codes(string? text, string expected) =>
        Assert.Equal(expected, ProviderErrors.Sanitize(text));
}
