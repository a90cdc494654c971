namespace TeamPlatform.Console.Infrastructure.Sessions;

/// <summary>
/// One browser signed in as one member. The browser's cookie names the session; the tokens stay here, encrypted with
/// the console's Data Protection keys. Until the browser claims it with its one-time ticket, the session has no cookie.
/// </summary>
public sealed class MemberSession
{
    private MemberSession()
    {
    }

    public Guid Id { get; private set; }

    public string OrgSlug { get; private set; } = "";

    public string ProtectedAccessToken { get; private set; } = "";

    public string ProtectedRefreshToken { get; private set; } = "";

    public DateTimeOffset AccessTokenExpiresAt { get; private set; }

    /// <summary>The hash of the ticket the browser exchanges for its cookie, once; null once claimed.</summary>
    public byte[]? TicketHash { get; private set; }

    public DateTimeOffset? TicketExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static MemberSession Start(string orgSlug, ProtectedTokens tokens, byte[] ticketHash, DateTimeOffset now, TimeSpan ticketLifetime) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgSlug = orgSlug,
        ProtectedAccessToken = tokens.AccessToken,
        ProtectedRefreshToken = tokens.RefreshToken,
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt,
        TicketHash = ticketHash,
        TicketExpiresAt = now + ticketLifetime,
        CreatedAt = now,
    };

    public void Refreshed(ProtectedTokens tokens)
    {
        ProtectedAccessToken = tokens.AccessToken;
        ProtectedRefreshToken = tokens.RefreshToken;
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
    }
}

/// <summary>A token pair as stored: both encrypted.</summary>
public sealed record ProtectedTokens(string AccessToken, string RefreshToken, DateTimeOffset AccessTokenExpiresAt);
