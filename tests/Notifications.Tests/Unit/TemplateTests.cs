using TeamPlatform.Notifications.Channels.WhatsApp;
using TeamPlatform.Notifications.Domain;
using Xunit;

namespace TeamPlatform.Notifications.Tests.Unit;

public sealed class TemplateTests
{
    public static TheoryData<string, string> EveryTemplateInEveryLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in TemplateNames.All)
        {
            foreach (var language in MessageTemplates.Languages)
            {
                data.Add(template, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTemplateInEveryLanguage))]
    public void Every_translation_uses_exactly_the_variables_of_the_english_text(string template, string language) =>
        Assert.Equal(MessageTemplates.VariablesOf(template, "en"), MessageTemplates.VariablesOf(template, language));

    [Theory]
    [InlineData("fr", "fr")]
    [InlineData("FR-ca", "fr")]
    [InlineData("pt_BR", "pt")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void The_organisations_language_falls_back_to_its_base_then_english(string? requested, string chosen) =>
        Assert.Equal(chosen, MessageTemplates.LanguageFor(TemplateNames.Otp, requested));

    [Fact]
    public void Codes_and_links_reach_the_text_but_never_the_redacted_body_or_public_variables()
    {
        var message = MessageTemplates.Render(TemplateNames.Invitation, "es", new Dictionary<string, string>
        {
            ["inviter"] = "amina", ["organisation"] = "Esperanza", ["expiresOn"] = "2026-02-04", ["link"] = "https://x.example/invite/tok3n",
        });

        Assert.Equal("amina te invitó a unirte al equipo de Esperanza. Acepta antes del 2026-02-04: https://x.example/invite/tok3n", message.Body);
        Assert.Equal("amina te invitó a unirte al equipo de Esperanza. Acepta antes del 2026-02-04: [hidden]", message.RedactedBody);
        Assert.False(message.PublicVariables.ContainsKey("link"));
        Assert.Equal("https://x.example/invite/tok3n", message.Variables["link"]);
        Assert.Equal("amina te invitó a unirte a Esperanza", message.Subject);
    }

    [Fact]
    public void Every_whatsapp_template_parameter_is_a_variable_its_template_has()
    {
        var options = new WhatsAppOptions();
        foreach (var template in TemplateNames.All)
        {
            Assert.Subset(MessageTemplates.VariablesOf(template, "en").ToHashSet(), options.TemplateFor(template).Parameters.ToHashSet());
        }
    }
}
