using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeamPlatform.Notifications.Features.TwilioWebhook;
using TeamPlatform.Notifications.Tests.Fakes;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>Requests as a fuzzer makes them: each is a problem with its code, in the API's words, never a 500.</summary>
[Collection(nameof(DevelopmentCollection))]
public sealed class HostileInputTests(DevelopmentFixture fixture)
{
    private NotificationHost Host => fixture.Host;

    [Fact]
    public async Task A_nul_in_the_delivery_logs_filter_is_refused_naming_the_query_parameter()
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);
        using var client = Host.ClientFor(orgId, admin);

        var response = await client.GetAsync("/api/notifications?to=%2B254%00");

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("Query parameter 'to' contains the character U+0000 (NUL), which cannot be stored.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_nul_in_the_development_inbox_query_is_refused()
    {
        using var client = Host.CreateClient();

        var response = await client.GetAsync("/api/dev/notifications?to=%00");

        Assert.Equal("validation_failed", (await ProblemOf(response, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_page_that_is_not_a_number_is_described_by_its_name()
    {
        var (orgId, admin) = (Guid.NewGuid(), Guid.NewGuid());
        PermissionStub.Answer(fixture.Permission, orgId, admin, allowed: true, isAdmin: true);
        using var client = Host.ClientFor(orgId, admin);

        var response = await client.GetAsync("/api/notifications?page=%F0%9F%98%80");

        Assert.Equal("Query parameter 'page' must be a whole number.", (await ProblemOf(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_method_is_method_not_allowed()
    {
        using var client = Host.CreateClient();

        var response = await client.DeleteAsync("/api/dev/notifications");

        Assert.Equal("method_not_allowed", (await ProblemOf(response, HttpStatusCode.MethodNotAllowed)).GetProperty("code").GetString());
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }
}

/// <summary>The webhooks take what their providers post and nothing else.</summary>
[Collection(nameof(ProvidersCollection))]
public sealed class WebhookMediaTypeTests(ProvidersFixture fixture)
{
    [Fact]
    public async Task A_twilio_receipt_that_is_not_a_form_is_an_unsupported_media_type()
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.PostAsync(TwilioWebhookEndpoint.Path, new StringContent("""{"MessageSid": "SM1"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
