using TeamPlatform.Invitations.Domain;
using Xunit;

namespace TeamPlatform.Invitations.Tests.Domain;

/// <summary>The invitation's rules, without I/O: what each status allows and what each transition announces.</summary>
public sealed class InvitationLifecycleTests
{
    private const string Phone = "+254711000001";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Admin = Guid.NewGuid();

    [Fact]
    public void A_new_invitation_is_pending_until_its_lifetime_ends()
    {
        var invitation = Invite(ttlDays: 30);

        Assert.Equal(Start.AddDays(30), invitation.ExpiresAt);
        Assert.Equal(InvitationStatus.Pending, invitation.StatusAt(Start.AddDays(30).AddTicks(-10)));
        Assert.Equal(InvitationStatus.Expired, invitation.StatusAt(Start.AddDays(30)));
        Assert.IsType<InvitationEvent.Created>(Assert.Single(invitation.Events));
    }

    [Fact]
    public void Times_are_kept_to_the_microsecond_the_database_stores()
    {
        var invitation = Invite(now: Start.AddTicks(12_345_678));

        Assert.Equal(0, invitation.CreatedAt.Ticks % 10);
        Assert.Equal(invitation.CreatedAt.AddDays(30), invitation.ExpiresAt);
    }

    [Fact]
    public void The_link_of_a_pending_invitation_may_be_copied_and_sent_again_but_not_once_it_expired()
    {
        var invitation = Invite();

        Assert.Null(invitation.EnsurePending(Start.AddDays(29)));
        Assert.Equal(RefusalKind.Expired, invitation.EnsurePending(Start.AddDays(30)));
    }

    [Fact]
    public void Renewing_a_pending_invitation_is_refused()
    {
        var invitation = Invite();

        Assert.Equal(RefusalKind.NotExpired, invitation.Renew(Token(2), 30, Admin, Start.AddDays(1)));
        Assert.Equal(Token(1).Hash, invitation.TokenHash);
    }

    [Fact]
    public void Renewing_an_expired_invitation_gives_a_new_token_and_a_full_lifetime_from_now()
    {
        var invitation = Invite();
        var later = Start.AddDays(45);

        Assert.Null(invitation.Renew(Token(2), 30, Admin, later));

        Assert.Equal(Token(2).Hash, invitation.TokenHash);
        Assert.Equal(Token(2).Protected, invitation.ProtectedToken);
        Assert.Equal(later.AddDays(30), invitation.ExpiresAt);
        Assert.Equal(InvitationStatus.Pending, invitation.StatusAt(later));
        var renewed = Assert.IsType<InvitationEvent.Renewed>(invitation.Events[^1]);
        Assert.Equal(Admin, renewed.RenewedBy);
    }

    [Fact]
    public void Only_the_invited_phone_may_accept()
    {
        var invitation = Invite();

        Assert.Equal(RefusalKind.PhoneMismatch, invitation.Validate("+254711000002", Start));
        Assert.Equal(RefusalKind.PhoneMismatch, invitation.Accept("+254711000002", Guid.NewGuid(), Start));
        Assert.Null(invitation.AcceptedAt);
        Assert.Null(invitation.Validate(Phone, Start));
    }

    [Fact]
    public void A_link_works_once_but_the_same_registration_may_ask_again()
    {
        var invitation = Invite();
        var registration = Guid.NewGuid();

        Assert.Null(invitation.Accept(Phone, registration, Start.AddHours(1)));
        Assert.Null(invitation.Accept(Phone, registration, Start.AddHours(2)));
        Assert.Equal(RefusalKind.Used, invitation.Accept(Phone, Guid.NewGuid(), Start.AddHours(2)));

        Assert.Equal(InvitationStatus.Accepted, invitation.StatusAt(Start.AddDays(90)));
        Assert.Equal(Start.AddHours(1), invitation.AcceptedAt);
        Assert.NotNull(invitation.ProtectedToken);
        invitation.RecordMember(Guid.NewGuid(), Start.AddHours(2));
        Assert.Null(invitation.ProtectedToken);
    }

    [Fact]
    public void An_expired_or_revoked_invitation_cannot_be_accepted()
    {
        var expired = Invite();
        var revoked = Invite();
        Assert.Null(revoked.Revoke(Admin, Start.AddDays(1)));

        Assert.Equal(RefusalKind.Expired, expired.Accept(Phone, Guid.NewGuid(), Start.AddDays(31)));
        Assert.Equal(RefusalKind.Revoked, revoked.Accept(Phone, Guid.NewGuid(), Start.AddDays(2)));
    }

    [Fact]
    public void Revoking_works_on_any_open_invitation_once_and_never_on_an_accepted_one()
    {
        var expired = Invite();
        Assert.Null(expired.Revoke(Admin, Start.AddDays(40)));
        Assert.Null(expired.Revoke(Admin, Start.AddDays(41)));
        Assert.Single(expired.Events.OfType<InvitationEvent.Revoked>());
        Assert.Equal(InvitationStatus.Revoked, expired.StatusAt(Start.AddDays(41)));
        Assert.Null(expired.ProtectedToken);
        Assert.False(expired.IsOpen);

        var accepted = Invite();
        accepted.Accept(Phone, Guid.NewGuid(), Start);
        Assert.Equal(RefusalKind.Used, accepted.Revoke(Admin, Start.AddDays(1)));
        Assert.Equal(RefusalKind.Revoked, expired.Renew(Token(3), 30, Admin, Start.AddDays(42)));
    }

    [Fact]
    public void The_member_is_recorded_once_and_only_for_an_accepted_invitation()
    {
        var invitation = Invite();
        var member = Guid.NewGuid();

        Assert.False(invitation.RecordMember(member, Start));
        invitation.Accept(Phone, Guid.NewGuid(), Start);
        Assert.True(invitation.RecordMember(member, Start));
        Assert.False(invitation.RecordMember(member, Start));

        Assert.Equal(member, invitation.MemberId);
        Assert.Equal(member, Assert.Single(invitation.Events.OfType<InvitationEvent.Accepted>()).MemberId);
    }

    [Fact]
    public void An_acceptance_without_a_member_is_given_back_only_when_due_and_a_late_member_takes_it_back()
    {
        var invitation = Invite();
        var releaseAfter = TimeSpan.FromMinutes(15);
        invitation.Accept(Phone, Guid.NewGuid(), Start);

        Assert.False(invitation.ReleaseUnfinishedAcceptance(releaseAfter, Start.AddMinutes(14)));
        Assert.True(invitation.ReleaseUnfinishedAcceptance(releaseAfter, Start.AddMinutes(15)));
        Assert.False(invitation.ReleaseUnfinishedAcceptance(releaseAfter, Start.AddMinutes(30)));
        Assert.Equal(InvitationStatus.Pending, invitation.StatusAt(Start.AddMinutes(15)));

        var member = Guid.NewGuid();
        Assert.True(invitation.RecordMember(member, Start.AddMinutes(20)));
        Assert.Equal(InvitationStatus.Accepted, invitation.StatusAt(Start.AddMinutes(20)));
        Assert.False(invitation.ReleaseUnfinishedAcceptance(releaseAfter, Start.AddHours(1)));
        Assert.Equal(member, Assert.Single(invitation.Events.OfType<InvitationEvent.Accepted>()).MemberId);
    }

    [Fact]
    public void The_registration_whose_acceptance_was_given_back_takes_it_again_as_a_new_acceptance()
    {
        var invitation = Invite();
        var registration = Guid.NewGuid();
        invitation.Accept(Phone, registration, Start);
        invitation.ReleaseUnfinishedAcceptance(TimeSpan.FromMinutes(15), Start.AddMinutes(15));

        Assert.Null(invitation.Accept(Phone, registration, Start.AddMinutes(20)));
        Assert.Equal(Start.AddMinutes(20), invitation.AcceptedAt);
        Assert.Equal(RefusalKind.Used, invitation.Accept(Phone, Guid.NewGuid(), Start.AddMinutes(21)));
    }

    [Fact]
    public void An_expiry_is_announced_once_and_again_after_a_renewal_expires()
    {
        var invitation = Invite();

        Assert.False(invitation.AnnounceExpiry(Start.AddDays(29)));
        Assert.True(invitation.AnnounceExpiry(Start.AddDays(31)));
        Assert.False(invitation.AnnounceExpiry(Start.AddDays(32)));

        invitation.Renew(Token(2), 30, Admin, Start.AddDays(32));
        Assert.False(invitation.AnnounceExpiry(Start.AddDays(33)));
        Assert.True(invitation.AnnounceExpiry(Start.AddDays(62)));

        var expiries = invitation.Events.OfType<InvitationEvent.Expired>().Select(e => e.ExpiredAt).ToList();
        Assert.Equal([Start.AddDays(30), Start.AddDays(62)], expiries);
    }

    [Fact]
    public void Accepted_and_revoked_invitations_never_announce_an_expiry()
    {
        var accepted = Invite();
        accepted.Accept(Phone, Guid.NewGuid(), Start);
        var revoked = Invite();
        revoked.Revoke(Admin, Start);

        Assert.False(accepted.AnnounceExpiry(Start.AddDays(31)));
        Assert.False(revoked.AnnounceExpiry(Start.AddDays(31)));
    }

    private static Invitation Invite(int ttlDays = 30, DateTimeOffset? now = null) => Invitation.Create(
        Guid.NewGuid(), Guid.NewGuid(), Phone, null, """{"role":"staff"}""", Admin, "amina", Token(1), ttlDays, now ?? Start);

    private static StoredToken Token(byte n) => new(Enumerable.Repeat(n, 32).ToArray(), $"protected-{n}");
}
