using System.Text.RegularExpressions;
using System.Net.Http.Json;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(LogTestsCollection))]
public sealed class LogTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task Phones_codes_passwords_and_tokens_never_reach_the_logs()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);
        await Host.PasswordGrantAsync(org.Slug, member.Phone, "a wrong password");
        await Host.RefreshAsync(tokens.RefreshToken!);
        await Host.CreateClient().PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = member.Phone });
        var resetCode = await Host.CodeFor(member.Phone, nth: 2);
        var secrets = Host.Codes.Select(c => c.Code)
            .Concat([org.Creator.Phone, member.Phone, member.Password, "a wrong password", tokens.AccessToken, tokens.RefreshToken!, resetCode.Code])
            .ToList();

        var logs = Host.Logs.Lines.ToList();

        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            // Standing alone: six digits inside an id or a duration are not a code.
            var alone = new Regex($@"(?<![\w.]){Regex.Escape(secret)}(?![\w.])");
            Assert.DoesNotContain(logs, alone.IsMatch);
        }
    }
}

/// <summary>A host of its own: the test reads every line the host logged and every code it sent, not only its own.</summary>
[CollectionDefinition(nameof(LogTestsCollection))]
public sealed class LogTestsCollection : ICollectionFixture<IdentityFixture>;
