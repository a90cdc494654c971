using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>Tokens, links and phone numbers never appear in logs or traces, at every log level.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class PrivacyTests(InvitationFixture fixture) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task A_whole_invitation_leaves_no_token_link_or_phone_in_logs_or_traces()
    {
        _listener.ActivityStopped = _activities.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        var invitation = await org.InviteAsync(phone, email: "secret.person@example.org");
        var token = invitation.Token();

        await org.Client.GetAsync($"/api/invitations/{invitation.Id()}/link");
        await org.Client.PostAsync($"/api/invitations/{invitation.Id()}/resend", null);
        Assert.Equal(HttpStatusCode.OK, (await Host.PreviewAsync(token)).StatusCode);
        await Host.ValidateAsync(org.OrgId, token, TestPhones.New());
        Assert.Equal(HttpStatusCode.OK, (await Host.AcceptAsync(org.OrgId, token, phone)).StatusCode);
        await Host.Bus.WaitFor<SendInvitation>(d => d.InvitationId == invitation.Id(), count: 2);
        await org.Client.PostAsJsonAsync("/api/invitations", new { phone = "+25471", access = TestOrg.Staff });

        var secrets = new[] { token, phone, phone.TrimStart('+'), "secret.person@example.org" };
        var logs = Host.Logs.Lines.ToList();
        Assert.NotEmpty(logs);
        var leaks = logs.Where(entry => secrets.Any(secret => entry.Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(5).Select(l => l[..Math.Min(l.Length, 600)])));

        var traced = _activities.ToList();
        Assert.Contains(traced, activity => activity.DisplayName.Contains("preview", StringComparison.Ordinal));
        var values = traced.SelectMany(a => a.TagObjects.Select(t => $"{t.Value}").Append(a.DisplayName)).ToList();
        Assert.Contains($"/api/invitations/{invitation.Id()}/link", values);
        var traceLeaks = values.Where(value => secrets.Any(secret => value.Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.True(traceLeaks.Count == 0, string.Join("\n", traceLeaks.Take(5)));
    }

    public void Dispose() => _listener.Dispose();
}
