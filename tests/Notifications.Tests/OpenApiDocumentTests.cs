using System.Net;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.Shared;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Notifications.Tests;

/// <summary>The notification service's OpenAPI document, read as a client reads it, and real answers checked against it.</summary>
[Collection(nameof(DevelopmentCollection))]
public sealed class OpenApiDocumentTests(DevelopmentFixture fixture)
{
    private NotificationHost Host => fixture.Host;

    private Task<ApiDocument> DocumentAsync() => ApiDocument.ReadAsync(Host);

    [Fact]
    public async Task The_log_needs_a_token_the_development_channel_and_webhooks_do_not_and_every_error_is_an_open_problem()
    {
        var api = await DocumentAsync();

        DocumentChecks.AssertProblemSchemaIsOpen(api);
        DocumentChecks.AssertSecuritySchemes(api);
        DocumentChecks.AssertOperationsDescribeTheirErrors(api, anonymous: new HashSet<string>
        {
            "GET /api/dev/notifications", "GET /webhooks/whatsapp", "POST /webhooks/whatsapp", "POST /webhooks/twilio",
        });
        Assert.Contains("401", api.Operation(HttpMethod.Post, "/webhooks/twilio").Responses!.Keys);
    }

    [Fact]
    public async Task The_delivery_log_states_its_bounds_and_allowed_values()
    {
        var api = await DocumentAsync();
        var log = api.Operation(HttpMethod.Get, "/api/notifications");

        Assert.Equal(Paging.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), DocumentChecks.QueryParameter(log, "pageSize").Maximum);
        Assert.Equal(TemplateNames.All, DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(log, "type")));
        Assert.Equal(DeliveryStatuses.All, DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(log, "status")));
    }

    [Fact]
    public async Task Real_answers_match_the_document()
    {
        var api = await DocumentAsync();
        using var anonymous = Host.CreateClient();
        using var member = Host.ClientFor(Guid.NewGuid(), Guid.NewGuid());

        var answers = new (HttpMethod Method, string Path, HttpResponseMessage Response)[]
        {
            (HttpMethod.Get, "/api/notifications", await anonymous.GetAsync("/api/notifications")),
            (HttpMethod.Get, "/api/notifications", await member.GetAsync("/api/notifications?page=0")),
            (HttpMethod.Get, "/api/notifications", await member.GetAsync("/api/notifications?type=postcard")),
            (HttpMethod.Get, "/api/dev/notifications", await anonymous.GetAsync("/api/dev/notifications?to=somebody")),
            (HttpMethod.Get, "/api/dev/notifications", await anonymous.GetAsync("/api/dev/notifications?to=%2B254711234567")),
            (HttpMethod.Get, "/webhooks/whatsapp", await anonymous.GetAsync("/webhooks/whatsapp?hub.mode=subscribe")),
        };

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.NotFound],
            answers.Select(a => a.Response.StatusCode));
        foreach (var (method, path, response) in answers)
        {
            Assert.Empty(await api.ConformanceErrorsAsync(method, path, response));
        }
    }
}
