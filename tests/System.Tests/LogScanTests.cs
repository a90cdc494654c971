using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// Nothing a person typed or was sent in secret reaches a log or the telemetry: the lines every process of the system
/// wrote and what each exported to the collector, from its start (so whatever the other tests of the run did too), scanned
/// after a journey that uses each kind of secret.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class LogScanTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task No_phone_number_code_password_or_token_appears_in_any_process_log_or_exported_telemetry()
    {
        system.Telemetry.Keep();
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
        // Lines and batches still on their way out of the processes (batches leave every second).
        await Task.Delay(TimeSpan.FromSeconds(3));
        var lines = system.Logs.ToList();

        // The scan reads what every process wrote: an empty or partial capture would prove nothing.
        // Every instance of every process, the edge and both consoles included.
        Assert.Subset(lines.Select(l => l.Resource).ToHashSet(), system.ProjectNames.ToHashSet());
        var leaks = lines
            .Where(l => secrets.Any(secret => l.Line.Contains(secret, StringComparison.Ordinal)) || SecretPatterns.In(l.Line).Any())
            .Select(l => $"{l.Resource}: {l.Line}")
            .ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {lines.Count} lines carry a secret:\n{string.Join('\n', leaks.Take(20))}");

        // The same for what the processes exported: every process's logs, spans and metrics were scanned for the shapes of
        // secrets as they arrived, and what arrived during the journey is searched for its own secrets.
        var telemetry = system.Telemetry;
        Assert.Subset(system.ProjectNames.ToHashSet(), telemetry.Services.ToHashSet());
        Assert.True(telemetry.Bodies.GetValueOrDefault("traces") > 0 && telemetry.Bodies.GetValueOrDefault("logs") > 0,
            $"exported: {string.Join(", ", telemetry.Bodies.Select(b => $"{b.Key} {b.Value}"))}");
        var exported = telemetry.Kept.ToList();
        Assert.Contains(exported, body => body.Contains("/api/invitations", StringComparison.Ordinal));
        var exportedLeaks = exported.SelectMany(body => secrets.Where(secret => body.Contains(secret, StringComparison.Ordinal)))
            .Distinct()
            .Select(secret => $"a secret of {secret.Length} characters")
            .Concat(telemetry.Hits)
            .ToList();
        Assert.True(exportedLeaks.Count == 0, $"{exportedLeaks.Count} secrets in exported telemetry:\n{string.Join('\n', exportedLeaks.Take(20))}");
    }
}
