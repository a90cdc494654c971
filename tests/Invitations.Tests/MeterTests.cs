using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Invitations.Features.ExpirySweep;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>Inviting, accepting and letting invitations run out move invitation's meters by exactly that.</summary>
[Collection(nameof(InvitationCollection))]
public sealed class MeterTests(InvitationFixture fixture)
{
    private InvitationHost Host => fixture.Host;

    [Fact]
    public async Task An_invitation_counts_once_sent_and_once_accepted_however_often_the_acceptance_is_retried()
    {
        var org = await Host.NewOrganisationAsync();
        var phone = TestPhones.New();
        using var sent = Collect("teamplatform.invitations.sent");
        using var accepted = Collect("teamplatform.invitations.accepted");

        var invitation = await org.InviteAsync(phone);
        var registrationId = Guid.NewGuid();
        var first = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone, registrationId);
        var retry = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone, registrationId);
        var other = await Host.AcceptAsync(org.OrgId, invitation.Token(), phone);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, sent.Sum(("source", InvitationMetrics.OneInvitation)));
        Assert.Equal(1, sent.Sum());
        Assert.Equal(1, accepted.Sum());
    }

    [Fact]
    public async Task Each_expiry_announced_counts_once()
    {
        var org = await Host.NewOrganisationAsync();
        await org.InviteAsync(TestPhones.New());
        await org.InviteAsync(TestPhones.New());
        var sweep = Host.Services.GetRequiredService<ExpirySweep>();
        // The service's own sweep wakes on the same fake clock: counting starts once nothing is left to announce.
        await NothingLeftToAnnounceAsync(sweep);
        using var expired = Collect("teamplatform.invitations.expired");
        var announcedBefore = await AnnouncedAsync();

        // Earlier tests' invitations on this host expire too: the meter must count exactly the expiries announced.
        await Host.AdvanceAsync(TimeSpan.FromDays(31));
        await Task.WhenAll(sweep.SweepAsync(default), sweep.SweepAsync(default));
        await sweep.SweepAsync(default);
        // Rows the service's own sweep holds are skipped by these; they are announced when its transaction commits.
        await NothingLeftToAnnounceAsync(sweep);

        var announced = await AnnouncedAsync() - announcedBefore;
        Assert.Equal(2, await Host.InDatabase(db => db.Invitations.CountAsync(i => i.OrgId == org.OrgId && i.ExpiryAnnounced)));
        Assert.True(announced >= 2, $"{announced} expiries announced");
        // The meter moves just after the commit that announced.
        await Eventually.Until(() => Task.FromResult(expired.Sum()), sum => sum >= announced, what: "the meter to catch up");
        Assert.Equal(announced, expired.Sum());
    }

    private Task<int> NothingLeftToAnnounceAsync(ExpirySweep sweep)
    {
        var now = Host.Time.GetUtcNow();
        return Eventually.Until(async () =>
            {
                await sweep.SweepAsync(default);
                return await Host.InDatabase(db => db.Invitations.CountAsync(i => i.AcceptedAt == null && i.RevokedAt == null && !i.ExpiryAnnounced && i.ExpiresAt <= now));
            },
            left => left == 0, what: "every expiry due to be announced");
    }

    private Task<int> AnnouncedAsync() => Host.InDatabase(db => db.Invitations.CountAsync(i => i.ExpiryAnnounced));

    private Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> Collect(string instrument) =>
        Host.Services.Collect<long>(InvitationMetrics.MeterName, instrument);
}
