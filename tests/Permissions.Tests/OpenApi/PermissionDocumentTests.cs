using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.OpenApi;
using TeamPlatform.Permissions.Features.ListMembers;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Permissions.Tests.OpenApi;

/// <summary>The permission service's OpenAPI document, read as a client reads it, and real answers checked against it.</summary>
[Collection(nameof(PermissionCollection))]
public sealed class PermissionDocumentTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    private Task<ApiDocument> DocumentAsync() => ApiDocument.ReadAsync(_host);

    [Fact]
    public async Task Every_operation_needs_a_token_and_lists_its_errors_as_open_problems()
    {
        var api = await DocumentAsync();

        DocumentChecks.AssertProblemSchemaIsOpen(api);
        DocumentChecks.AssertSecuritySchemes(api);
        DocumentChecks.AssertOperationsDescribeTheirErrors(api, anonymous: new HashSet<string>());
    }

    [Fact]
    public async Task Conflicts_only_the_endpoint_knows_are_listed_with_their_codes()
    {
        var api = await DocumentAsync();

        var changeAccess = api.Operation(HttpMethod.Put, "/api/members/{id}/access").Responses!;
        var removeMember = api.Operation(HttpMethod.Delete, "/api/members/{id}").Responses!;
        Assert.Contains("`last_admin`", changeAccess["409"].Description, StringComparison.Ordinal);
        Assert.Contains("`escalation`", changeAccess["403"].Description, StringComparison.Ordinal);
        Assert.Contains("`last_admin`", removeMember["409"].Description, StringComparison.Ordinal);
        Assert.Contains("409", api.Operation(HttpMethod.Post, "/api/groups").Responses!.Keys);
        Assert.Contains("409", api.Operation(HttpMethod.Patch, "/api/groups/{id}").Responses!.Keys);
        Assert.DoesNotContain("409", api.Operation(HttpMethod.Get, "/api/members").Responses!.Keys);
    }

    [Fact]
    public async Task Query_parameters_state_the_bounds_and_values_the_lists_enforce()
    {
        var api = await DocumentAsync();
        var members = api.Operation(HttpMethod.Get, "/api/members");

        var page = DocumentChecks.QueryParameter(members, "page");
        var pageSize = DocumentChecks.QueryParameter(members, "pageSize");
        Assert.Equal(("1", null), (page.Minimum, page.Maximum));
        Assert.Equal(("1", Paging.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Paging.DefaultPageSize),
            (pageSize.Minimum, pageSize.Maximum, pageSize.Default!.GetValue<int>()));
        Assert.Equal(["pending_approval", "active", "blocked", "removed"], DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(members, "status")));
        Assert.Contains("manager", DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(members, "role")));
        Assert.Equal(ListMembersEndpoint.MaxQueryLength, DocumentChecks.QueryParameter(members, "q").MaxLength);
        Assert.Equal(100, DocumentChecks.QueryParameter(api.Operation(HttpMethod.Get, "/api/groups"), "ids").MaxItems);
        Assert.Equal("200", DocumentChecks.QueryParameter(api.Operation(HttpMethod.Get, "/api/audit"), "pageSize").Maximum);
    }

    [Fact]
    public async Task The_bounds_the_document_states_are_the_ones_the_list_refuses_past()
    {
        var team = await Team.CreateAsync(_host);

        var largest = await team.Admin.GetAsync($"/api/members?pageSize={Paging.MaxPageSize}");
        var tooLarge = await team.Admin.GetAsync($"/api/members?pageSize={Paging.MaxPageSize + 1}");
        var longest = await team.Admin.GetAsync($"/api/members?q={new string('a', ListMembersEndpoint.MaxQueryLength)}");
        var tooLong = await team.Admin.GetAsync($"/api/members?q={new string('a', ListMembersEndpoint.MaxQueryLength + 1)}");

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest),
            (largest.StatusCode, tooLarge.StatusCode, longest.StatusCode, tooLong.StatusCode));
    }

    [Fact]
    public async Task An_audit_entry_before_and_after_are_objects_or_null()
    {
        var api = await DocumentAsync();
        var audit = api.Document.Components!.Schemas!["AuditView"];

        foreach (var state in new[] { "before", "after" })
        {
            Assert.Equal(JsonSchemaType.Object | JsonSchemaType.Null, audit.Properties![state].Type);
        }
    }

    [Fact]
    public async Task Real_answers_match_the_document()
    {
        var api = await DocumentAsync();
        var team = await Team.CreateAsync(_host);
        var staff = await team.MemberAsync(new { role = "staff" });
        await team.Admin.PutAsJsonAsync($"/api/members/{staff}/access", new { role = "manager" });
        using var anonymous = _host.CreateClient();
        using var notJson = new StringContent("name=Youth", Encoding.UTF8, "text/plain");

        var answers = new (HttpMethod Method, string Path, HttpResponseMessage Response)[]
        {
            (HttpMethod.Get, "/api/members", await anonymous.GetAsync("/api/members")),
            (HttpMethod.Get, "/api/members", await team.Admin.GetAsync("/api/members?page=0")),
            (HttpMethod.Get, "/api/members/{id}", await team.Admin.GetAsync($"/api/members/{Guid.NewGuid()}")),
            (HttpMethod.Get, "/api/members/{id}", await team.As(staff).GetAsync($"/api/members/{team.AdminId}")),
            (HttpMethod.Post, "/api/groups", await team.Admin.PostJsonAsync("/api/groups", """{"name": 12}""")),
            (HttpMethod.Post, "/api/groups", await team.Admin.PostAsync("/api/groups", notJson)),
            (HttpMethod.Put, "/api/members/{id}/access", await team.Admin.PutAsJsonAsync($"/api/members/{team.AdminId}/access", new { role = "none" })),
            (HttpMethod.Get, "/api/audit", await team.Admin.GetAsync("/api/audit")),
            (HttpMethod.Get, "/api/members", await team.Admin.GetAsync("/api/members")),
        };

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Forbidden,
                HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.Conflict, HttpStatusCode.OK, HttpStatusCode.OK],
            answers.Select(a => a.Response.StatusCode));
        foreach (var (method, path, response) in answers)
        {
            Assert.Empty(await api.ConformanceErrorsAsync(method, path, response));
        }
    }
}
