using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// Nothing a person typed or was sent in secret reaches a log: the lines every process of the system wrote, from its
/// start (so whatever the other tests of the run did too), scanned after a journey that uses each kind of secret.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed partial class LogScanTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task No_phone_number_code_password_or_token_appears_in_any_process_log()
    {
        var org = await _api.CreateOrganisationAsync();
        var joined = await _api.RegisterAsync(org.Slug);
        await _api.SignInAsync(joined, org.Slug);
        var refreshed = await _api.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = joined.RefreshToken!,
        }));
        await Expect(refreshed, HttpStatusCode.OK);
        var refreshedTokens = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var wrongPassword = "not the password at all";
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.RequestTokenAsync(org.Slug, joined.Phone, wrongPassword)).StatusCode);

        var invitee = TestPhones.New();
        var invited = await _api.SendAs(org.Creator, HttpMethod.Post, "/api/invitations", new { phone = invitee, access = new { role = "staff" } });
        await Expect(invited, HttpStatusCode.Created);
        var link = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("link").GetString()!;
        var invitationToken = link[(link.LastIndexOf('/') + 1)..];
        await _api.LatestMessageAsync(invitee, "invitation");

        string[] secrets =
        [
            org.Creator.Phone, org.Creator.Phone[1..], joined.Phone, joined.Phone[1..], invitee, invitee[1..],
            await _api.LatestCodeAsync(org.Creator.Phone), await _api.LatestCodeAsync(joined.Phone),
            Password, wrongPassword,
            org.Creator.AccessToken!, joined.AccessToken!, joined.RefreshToken!,
            refreshedTokens.GetProperty("access_token").GetString()!, refreshedTokens.GetProperty("refresh_token").GetString()!,
            invitationToken,
        ];
        // Lines still on their way out of the processes.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var lines = system.Logs.ToList();

        // The scan reads what every process wrote: an empty or partial capture would prove nothing.
        // Every instance of every process, the edge and both consoles included.
        Assert.Subset(lines.Select(l => l.Resource).ToHashSet(), system.ProjectNames.ToHashSet());
        var leaks = lines
            .Where(l => secrets.Any(secret => l.Line.Contains(secret, StringComparison.Ordinal))
                        || UnmaskedPhone().IsMatch(l.Line) || Jwt().IsMatch(l.Line))
            .Select(l => $"{l.Resource}: {l.Line}")
            .ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {lines.Count} lines carry a secret:\n{string.Join('\n', leaks.Take(20))}");
    }

    /// <summary>A phone in E.164 with every digit shown (a masked one keeps three and two: <c>+25*******23</c>).</summary>
    [GeneratedRegex(@"\+\d{9,15}(?!\d)")]
    private static partial Regex UnmaskedPhone();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.")]
    private static partial Regex Jwt();
}
