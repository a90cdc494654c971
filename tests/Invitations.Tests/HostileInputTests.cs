using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>
/// Requests as a fuzzer makes them: text PostgreSQL cannot hold in a body, an access document, an upload or a query; methods
/// and media types a route does not take. Each is a problem with its code, in the API's words, and writes nothing.
/// </summary>
[Collection(nameof(InvitationCollection))]
public sealed class HostileInputTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    public static TheoryData<string, string> UnstorableInvitations() => new()
    {
        { """{"phone": "{phone}", "email": "new\u0000@example.org", "access": {"role": "staff"}}""", "'email' contains the character U+0000" },
        { """{"phone": "{phone}", "access": {"role": "staff", "groupIds": ["\u0000"]}}""", "'access' contains the character U+0000" },
        { """{"phone": "{phone}", "access": {"role\ud800": "staff"}}""", "'access' " },
    };

    [Theory]
    [MemberData(nameof(UnstorableInvitations))]
    public async Task An_invitation_holding_text_that_cannot_be_stored_is_refused_naming_the_member(string body, string detail)
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();

        var response = await org.Client.PostAsync("/api/invitations", Json(body.Replace("{phone}", phone, StringComparison.Ordinal)));

        Assert.StartsWith(detail, await ValidationProblems.DetailOfAsync(response), StringComparison.Ordinal);
        Assert.False(await Host.InDatabase(db => db.Invitations.AnyAsync(i => i.Phone == phone)));
    }

    [Theory]
    [InlineData("application/json", """{"rows": [{"phone": "+254700000000", "preset": "staff\u0000"}]}""", "'rows[0].preset' contains the character U+0000")]
    [InlineData("application/json", """{"rows": [{"phone": 254700000000}]}""", "'rows[0].phone' must be a string.")]
    [InlineData("application/json", """{"rows": [], "replace": true}""", "'replace' is not a member of this request.")]
    [InlineData("text/csv", "phone,preset\n+254700000000,sta\0ff\n", "The CSV contains the character U+0000")]
    public async Task A_bulk_upload_that_cannot_be_read_is_described_in_the_apis_words(string mediaType, string body, string detail)
    {
        var org = await Host.NewOrganisationAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/invitations/bulk") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await org.Client.SendAsync(request);

        Assert.StartsWith(detail, await ValidationProblems.DetailOfAsync(response), StringComparison.Ordinal);
        Assert.False(await Host.InDatabase(db => db.BulkInvitations.AnyAsync(b => b.OrgId == org.OrgId)));
    }

    [Fact]
    public async Task A_nul_in_the_status_filter_is_refused_naming_the_query_parameter()
    {
        var org = await Host.NewOrganisationAsync();

        var response = await org.Client.GetAsync("/api/invitations?status=pending%00");

        Assert.Equal("Query parameter 'status' contains the character U+0000 (NUL), which cannot be stored.", await ValidationProblems.DetailOfAsync(response));
    }

    [Fact]
    public async Task A_wrong_method_is_method_not_allowed_and_another_media_type_unsupported()
    {
        var org = await Host.NewOrganisationAsync();

        var put = await org.Client.PutAsync("/api/invitations", Json("{}"));
        var text = await org.Client.PostAsync("/api/invitations", new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "method_not_allowed"), (put.StatusCode, await put.Code()));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (text.StatusCode, await text.Code()));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
