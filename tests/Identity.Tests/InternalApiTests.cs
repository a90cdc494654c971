using System.Net;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>Identity's one internal route, the revocation list the gateways load, answers only the deployment's internal key.</summary>
[Collection(nameof(IdentityCollection))]
public sealed class InternalApiTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task The_revocation_list_refuses_a_caller_without_the_key_with_a_wrong_key_or_with_a_members_token()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        using var withoutKey = Host.CreateClient();
        using var withWrongKey = Host.CreateClient();
        withWrongKey.DefaultRequestHeaders.Add("X-Internal-Key", "wrong-key-0123456789abcdef0123456789abcdef0123");
        using var withMemberToken = Host.ClientWith(tokens);

        var answers = new[]
        {
            (await withoutKey.GetAsync("/internal/sessions/revocations")).StatusCode,
            (await withWrongKey.GetAsync("/internal/sessions/revocations")).StatusCode,
            (await withMemberToken.GetAsync("/internal/sessions/revocations")).StatusCode,
        };
        var withTheKey = await Host.InternalClient().GetAsync("/internal/sessions/revocations");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.OK, withTheKey.StatusCode);
    }
}
