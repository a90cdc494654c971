namespace TeamPlatform.Identity.Domain;

/// <summary>Why sessions ended; the values of <c>MemberSessionsRevoked.Reason</c>.</summary>
public static class SessionEndReasons
{
    public const string Blocked = "blocked";
    public const string Removed = "removed";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";
    public const string SignedOut = "signed_out";

    /// <summary>A refresh token redeemed again after its grace: taken as stolen.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";
}

/// <summary>
/// One login: its id is the <c>sid</c> of every token issued for it, and its refresh tokens belong to one
/// OpenIddict authorization, so ending the session kills them at once.
/// </summary>
public sealed class Session
{
    public const int MaxClientLength = 200;

    private Session()
    {
    }

    /// <summary>A version 7 UUID: its timestamp is when the session started (the gateway relies on that).</summary>
    public Guid Id { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid OrgId { get; private set; }

    public string AuthorizationId { get; private set; } = "";

    /// <summary>The client's own description (its User-Agent), to help a member recognise their sessions.</summary>
    public string? Client { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastRefreshedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndReason { get; private set; }

    public bool IsActive => EndedAt is null;

    public static Session Start(Guid memberId, Guid orgId, string? client, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MemberId = memberId,
        OrgId = orgId,
        Client = client is null ? null : client[..Math.Min(client.Length, MaxClientLength)],
        CreatedAt = now,
        LastRefreshedAt = now,
    };

    public void BindTo(string authorizationId) => AuthorizationId = authorizationId;

    public void Refreshed(DateTimeOffset now) => LastRefreshedAt = now;

    /// <summary>Ends the session; false when it had already ended.</summary>
    public bool End(string reason, DateTimeOffset now)
    {
        if (!IsActive)
        {
            return false;
        }

        EndedAt = now;
        EndReason = reason;
        return true;
    }
}

/// <summary>
/// Access tokens of a member (or of one session) issued before <see cref="RevokedBefore"/> must be refused.
/// Kept as long as such tokens may live, so a gateway that starts late can load them.
/// </summary>
public sealed class SessionRevocation
{
    private SessionRevocation()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>Null when every session of the member is revoked.</summary>
    public Guid? SessionId { get; private set; }

    public DateTimeOffset RevokedBefore { get; private set; }

    public string Reason { get; private set; } = "";

    public static SessionRevocation Of(Guid orgId, Guid memberId, Guid? sessionId, string reason, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = orgId,
        MemberId = memberId,
        SessionId = sessionId,
        RevokedBefore = now,
        Reason = reason,
    };
}
