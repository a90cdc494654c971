namespace TeamPlatform.Invitations.Domain;

/// <summary>
/// An invitation of one phone into one organisation with preset access. Pending until it expires, is accepted
/// (once, by the invited phone) or is revoked; an expired one may be renewed with a new token. Its status is
/// computed from <see cref="ExpiresAt"/> whenever it is read, so nothing has to run for it to expire.
/// </summary>
public sealed class Invitation
{
    private readonly List<InvitationEvent> _events = [];

    private Invitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>The invited phone in E.164: the only one that may accept.</summary>
    public string Phone { get; private set; } = "";

    public string? Email { get; private set; }

    /// <summary>The access document the new member gets, as the permission service normalised it; opaque here.</summary>
    public string Access { get; private set; } = "";

    public Guid InvitedBy { get; private set; }

    /// <summary>The inviter's username when they invited, shown to the invitee.</summary>
    public string InviterUsername { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public byte[] TokenHash { get; private set; } = [];

    /// <summary>The encrypted token, kept while the link may still be copied; dropped once the link can never work again.</summary>
    public string? ProtectedToken { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    /// <summary>The registration that consumed the token; the same registration accepting again gets the same answer.</summary>
    public Guid? AcceptedRegistrationId { get; private set; }

    /// <summary>The member the acceptance became, once the permission service reports it.</summary>
    public Guid? MemberId { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public Guid? RevokedBy { get; private set; }

    /// <summary>Whether the current expiry has been announced; renewal resets it.</summary>
    public bool ExpiryAnnounced { get; private set; }

    /// <summary>Neither accepted nor revoked: pending or expired, and at most one per phone and organisation.</summary>
    public bool IsOpen => AcceptedAt is null && RevokedAt is null;

    public IReadOnlyList<InvitationEvent> Events => _events;

    public static Invitation Create(
        Guid id,
        Guid orgId,
        string phone,
        string? email,
        string access,
        Guid invitedBy,
        string inviterUsername,
        StoredToken token,
        int ttlDays,
        DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttlDays, 1);
        now = Truncate(now);
        var invitation = new Invitation
        {
            Id = id,
            OrgId = orgId,
            Phone = phone,
            Email = email,
            Access = access,
            InvitedBy = invitedBy,
            InviterUsername = inviterUsername,
            CreatedAt = now,
            ExpiresAt = now.AddDays(ttlDays),
            TokenHash = token.Hash,
            ProtectedToken = token.Protected,
        };
        invitation._events.Add(new InvitationEvent.Created(now));
        return invitation;
    }

    public InvitationStatus StatusAt(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationStatus.Accepted
        : RevokedAt is not null ? InvitationStatus.Revoked
        : now >= ExpiresAt ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    /// <summary>Copying, sending again and registering need a pending invitation.</summary>
    public RefusalKind? EnsurePending(DateTimeOffset now) => StatusAt(now) switch
    {
        InvitationStatus.Pending => null,
        var status => RefusalFor(status),
    };

    /// <summary>Only an expired invitation can be renewed.</summary>
    public RefusalKind? EnsureRenewable(DateTimeOffset now) => StatusAt(now) switch
    {
        InvitationStatus.Expired => null,
        InvitationStatus.Pending => RefusalKind.NotExpired,
        var status => RefusalFor(status),
    };

    /// <summary>Another <paramref name="ttlDays"/> from now with a new token, for an expired invitation only: the old link dies.</summary>
    public RefusalKind? Renew(StoredToken token, int ttlDays, Guid renewedBy, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttlDays, 1);
        if (EnsureRenewable(now) is { } refusal)
        {
            return refusal;
        }

        now = Truncate(now);
        TokenHash = token.Hash;
        ProtectedToken = token.Protected;
        ExpiresAt = now.AddDays(ttlDays);
        ExpiryAnnounced = false;
        _events.Add(new InvitationEvent.Renewed(renewedBy, now));
        return null;
    }

    /// <summary>Revokes an open invitation. Revoking a revoked one again changes nothing; an accepted one cannot be.</summary>
    public RefusalKind? Revoke(Guid revokedBy, DateTimeOffset now)
    {
        if (AcceptedAt is not null)
        {
            return RefusalKind.Used;
        }

        if (RevokedAt is not null)
        {
            return null;
        }

        RevokedAt = Truncate(now);
        RevokedBy = revokedBy;
        ProtectedToken = null;
        _events.Add(new InvitationEvent.Revoked(revokedBy, RevokedAt.Value));
        return null;
    }

    /// <summary>Whether <paramref name="phone"/> may register with this invitation now (nothing changes).</summary>
    public RefusalKind? Validate(string phone, DateTimeOffset now) =>
        phone != Phone ? RefusalKind.PhoneMismatch : EnsurePending(now);

    /// <summary>
    /// Consumes the invitation for <paramref name="registrationId"/>: once, and only by the invited phone.
    /// The same registration accepting again is answered as the first time.
    /// </summary>
    public RefusalKind? Accept(string phone, Guid registrationId, DateTimeOffset now)
    {
        if (AcceptedAt is not null && AcceptedRegistrationId == registrationId && phone == Phone)
        {
            return null;
        }

        if (Validate(phone, now) is { } refusal)
        {
            return refusal;
        }

        // The stored link stays until a member comes of the acceptance: an acceptance given back is copied again.
        AcceptedAt = Truncate(now);
        AcceptedRegistrationId = registrationId;
        return null;
    }

    /// <summary>
    /// Records the member the acceptance became; announces the acceptance the first time only. An acceptance released
    /// before the news arrived (<see cref="ReleaseUnfinishedAcceptance"/>) is taken back: the member exists.
    /// </summary>
    public bool RecordMember(Guid memberId, DateTimeOffset now)
    {
        if (MemberId is not null || (AcceptedAt is null && (AcceptedRegistrationId is null || RevokedAt is not null)))
        {
            return false;
        }

        AcceptedAt ??= Truncate(now);
        ProtectedToken = null;
        MemberId = memberId;
        _events.Add(new InvitationEvent.Accepted(memberId, Truncate(now)));
        return true;
    }

    /// <summary>
    /// Gives back an acceptance that has not become a member <paramref name="after"/> it was made: the registration that
    /// consumed the invitation failed before the member was created and was not tried again. The invited phone's link
    /// works again (the same registration trying again takes it back). Nobody outside was told of the acceptance, so
    /// nothing is announced.
    /// </summary>
    public bool ReleaseUnfinishedAcceptance(TimeSpan after, DateTimeOffset now)
    {
        // Acceptances from before links were kept until the member came cannot give a link back: they stay.
        if (AcceptedAt is not { } acceptedAt || MemberId is not null || now < acceptedAt + after || ProtectedToken is null)
        {
            return false;
        }

        // The registration stays on record: news of its member may still come (a broker that was away), and is believed.
        AcceptedAt = null;
        return true;
    }

    /// <summary>Announces that an open invitation has expired, once per expiry (a renewed one may expire again).</summary>
    public bool AnnounceExpiry(DateTimeOffset now)
    {
        if (ExpiryAnnounced || StatusAt(now) != InvitationStatus.Expired)
        {
            return false;
        }

        ExpiryAnnounced = true;
        _events.Add(new InvitationEvent.Expired(ExpiresAt, Truncate(now)));
        return true;
    }

    public void ClearEvents() => _events.Clear();

    private static RefusalKind RefusalFor(InvitationStatus status) => status switch
    {
        InvitationStatus.Accepted => RefusalKind.Used,
        InvitationStatus.Revoked => RefusalKind.Revoked,
        InvitationStatus.Expired => RefusalKind.Expired,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A pending invitation refuses nothing."),
    };

    // PostgreSQL keeps microseconds: what is returned at creation must equal what is read back later.
    private static DateTimeOffset Truncate(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}
