using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(LogTestsCollection))]
public sealed class LogTests(IdentityFixture fixture) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task Phones_codes_passwords_and_tokens_never_reach_the_logs_or_the_traces()
    {
        _listener.ActivityStopped = _activities.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);
        await Host.PasswordGrantAsync(org.Slug, member.Phone, "a wrong password");
        var refreshed = await IdentityApi.TokensOf(await Host.RefreshAsync(tokens.RefreshToken!));
        await Host.CreateClient().PostAsJsonAsync($"/api/orgs/{org.Slug}/password-resets", new { phone = member.Phone });
        var resetCode = await Host.CodeFor(member.Phone, nth: 2);
        var secrets = Host.Codes.Select(c => c.Code)
            .Concat([org.Creator.Phone, member.Phone, member.Password, "a wrong password", tokens.AccessToken, tokens.RefreshToken!,
                refreshed.AccessToken, refreshed.RefreshToken!, resetCode.Code])
            .ToList();

        var logs = Host.Logs.Lines.ToList();
        var traced = _activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Value}")
            .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Value}")))
            .Append(a.DisplayName)).ToList();

        Assert.NotEmpty(logs);
        // The listener heard the requests: an empty capture would prove nothing.
        Assert.Contains(traced, value => value.Contains("/connect/token", StringComparison.Ordinal));
        // Standing alone: six digits inside an id or a duration are not a code.
        var alone = secrets.Select(secret => new Regex($@"(?<![\w.]){Regex.Escape(secret)}(?![\w.])")).ToList();
        var leaks = logs.Select(line => $"log: {line}").Concat(traced.Select(value => $"trace: {value}"))
            .Where(entry => alone.Any(secret => secret.IsMatch(entry)))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(5).Select(l => l[..Math.Min(l.Length, 600)])));
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>A host of its own: the test reads every line the host logged and every code it sent, not only its own.</summary>
[CollectionDefinition(nameof(LogTestsCollection))]
public sealed class LogTestsCollection : ICollectionFixture<IdentityFixture>;
