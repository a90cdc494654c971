using System.Net;
using System.Text;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>
/// Requests as a fuzzer makes them: text PostgreSQL cannot hold in a body or a query, values of the wrong kind, methods and
/// media types a route does not take. Each is a problem with its code, in the API's words, and writes nothing.
/// </summary>
[Collection(nameof(PermissionCollection))]
public sealed class HostileInputTests(PermissionFixture fixture)
{
    private readonly PermissionHost _host = fixture.Host;

    [Fact]
    public async Task A_group_name_with_nul_is_refused_naming_it_and_creates_no_group()
    {
        var team = await Team.CreateAsync(_host);

        var response = await team.Admin.PostJsonAsync("/api/groups", """{"name": "Youth\u0000"}""");
        var groups = await (await team.Admin.GetAsync("/api/groups")).Json();

        Assert.StartsWith("'name' contains the character U+0000", await ValidationProblems.DetailOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, groups.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_permission_name_with_nul_in_an_access_document_is_refused()
    {
        var team = await Team.CreateAsync(_host);
        var member = await team.MemberAsync(new { role = "staff" });
        var before = await team.MemberViewAsync(member);

        var response = await team.Admin.PutJsonAsync($"/api/members/{member}/access", """{"role": "custom", "permissions": {"people\u0000": {"scope": "all"}}}""");

        Assert.Equal("'permissions' has a key that contains the character U+0000 (NUL), which cannot be stored.", await ValidationProblems.DetailOfAsync(response));
        Assert.Equal(before.GetRawText(), (await team.MemberViewAsync(member)).GetRawText());
    }

    [Fact]
    public async Task A_search_with_nul_is_refused_naming_the_query_parameter()
    {
        var team = await Team.CreateAsync(_host);

        var response = await team.Admin.GetAsync("/api/members?q=a%00");

        Assert.Equal("Query parameter 'q' contains the character U+0000 (NUL), which cannot be stored.", await ValidationProblems.DetailOfAsync(response));
    }

    [Theory]
    [InlineData("/api/audit?memberId=someone", "Query parameter 'memberId' must be an id (a UUID).")]
    [InlineData("/api/members?page=first", "Query parameter 'page' must be a whole number.")]
    public async Task A_query_parameter_of_the_wrong_kind_is_described_by_its_name(string uri, string detail)
    {
        var team = await Team.CreateAsync(_host);

        var response = await team.Admin.GetAsync(uri);

        Assert.Equal(detail, await ValidationProblems.DetailOfAsync(response));
    }

    [Fact]
    public async Task A_check_naming_a_member_with_something_else_than_an_id_is_described_in_the_apis_words()
    {
        var team = await Team.CreateAsync(_host);

        var response = await team.Admin.PostJsonAsync("/api/permissions/check-batch", """{"checks": [{"permission": "people"}, {"memberId": 7, "permission": "people"}]}""");

        Assert.Equal("'checks[1].memberId' must be an id (a UUID).", await ValidationProblems.DetailOfAsync(response));
    }

    [Fact]
    public async Task A_wrong_method_is_method_not_allowed_and_another_media_type_unsupported()
    {
        var team = await Team.CreateAsync(_host);

        var put = await team.Admin.PutJsonAsync("/api/groups", """{"name": "Youth"}""");
        var text = await team.Admin.PostAsync("/api/groups", new StringContent("""{"name": "Youth"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal("method_not_allowed", await put.Problem(HttpStatusCode.MethodNotAllowed));
        Assert.Equal("unsupported_media_type", await text.Problem(HttpStatusCode.UnsupportedMediaType));
    }
}
