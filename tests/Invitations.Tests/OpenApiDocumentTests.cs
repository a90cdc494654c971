using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.OpenApi;
using TeamPlatform.Invitations.Features.ListInvitations;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>The invitation service's OpenAPI document, read as a client reads it, and real answers checked against it.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class OpenApiDocumentTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    private Task<ApiDocument> DocumentAsync() => ApiDocument.ReadAsync(Host);

    [Fact]
    public async Task Only_the_preview_is_anonymous_and_every_error_is_an_open_problem()
    {
        var api = await DocumentAsync();

        DocumentChecks.AssertProblemSchemaIsOpen(api);
        DocumentChecks.AssertSecuritySchemes(api);
        DocumentChecks.AssertOperationsDescribeTheirErrors(api, anonymous: new HashSet<string> { "GET /api/invitations/preview/{token}" });
        Assert.Contains("`invitation_not_expired`", api.Operation(HttpMethod.Post, "/api/invitations/{id}/renew").Responses!["409"].Description, StringComparison.Ordinal);
        Assert.Contains("`idempotency_key_reused`", api.Operation(HttpMethod.Post, "/api/invitations/bulk").Responses!["422"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_states_its_bounds_and_statuses()
    {
        var api = await DocumentAsync();
        var list = api.Operation(HttpMethod.Get, "/api/invitations");

        var pageSize = DocumentChecks.QueryParameter(list, "pageSize");
        Assert.Equal(("1", ListInvitationsEndpoint.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), (pageSize.Minimum, pageSize.Maximum));
        Assert.Equal("1", DocumentChecks.QueryParameter(list, "page").Minimum);
        Assert.Equal(["pending", "expired", "accepted", "revoked"], DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(list, "status")));
    }

    [Fact]
    public async Task A_bulk_upload_in_JSON_is_an_object_of_rows()
    {
        var api = await DocumentAsync();

        var body = api.Operation(HttpMethod.Post, "/api/invitations/bulk").RequestBody!.Content!;

        Assert.Equal(JsonSchemaType.String, body["text/csv"].Schema!.Type);
        var rows = body["application/json"].Schema!.Properties!["rows"];
        Assert.Equal(JsonSchemaType.Array, rows.Type);
        Assert.Equal(["phone", "preset"], rows.Items!.Required!.Order(StringComparer.Ordinal));
        Assert.Equal(["groupIds", "phone", "preset"], rows.Items.Properties!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Real_answers_match_the_document()
    {
        var api = await DocumentAsync();
        var org = await Host.NewOrganisationAsync();
        var invitation = await org.InviteAsync(TestPhones.New());
        var id = invitation.GetProperty("id").GetGuid();
        using var anonymous = Host.CreateClient();
        using var notCsv = new StringContent("phone", Encoding.UTF8, "text/plain");

        var answers = new (HttpMethod Method, string Path, HttpResponseMessage Response)[]
        {
            (HttpMethod.Get, "/api/invitations", await anonymous.GetAsync("/api/invitations")),
            (HttpMethod.Get, "/api/invitations", await org.Client.GetAsync("/api/invitations?pageSize=201")),
            (HttpMethod.Get, "/api/invitations", await org.Client.GetAsync("/api/invitations?status=pending")),
            (HttpMethod.Get, "/api/invitations/{id}", await org.Client.GetAsync($"/api/invitations/{Guid.NewGuid()}")),
            (HttpMethod.Post, "/api/invitations", await org.Client.PostAsJsonAsync("/api/invitations", new { phone = "nope", access = TestOrg.Staff })),
            (HttpMethod.Post, "/api/invitations/{id}/renew", await org.Client.PostAsync($"/api/invitations/{id}/renew", null)),
            (HttpMethod.Post, "/api/invitations/bulk", await org.Client.PostAsync("/api/invitations/bulk?dryRun=true", notCsv)),
            (HttpMethod.Get, "/api/invitations/preview/{token}", await anonymous.GetAsync("/api/invitations/preview/not-a-token")),
        };

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadRequest,
                HttpStatusCode.Conflict, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.NotFound],
            answers.Select(a => a.Response.StatusCode));
        foreach (var (method, path, response) in answers)
        {
            Assert.Empty(await api.ConformanceErrorsAsync(method, path, response));
        }
    }
}
