using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Console.Infrastructure.Gateway;

namespace TeamPlatform.Console.Infrastructure.Sessions;

/// <summary>
/// The tokens of members signed in to the console, kept server-side (docs/decisions/0501-console-sessions.md): a
/// password grant starts a session that the browser claims once with a ticket; access tokens are refreshed shortly
/// before they expire, one refresh at a time per session across every console instance (refresh tokens rotate, and a
/// reused one ends the session); a refresh that identity refuses ends the console's session too.
/// Each operation takes a database context of its own: a page's circuit may ask for tokens from several components at once.
/// </summary>
public sealed class MemberSessions(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider time, ILogger<MemberSessions> logger)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A token this close to its expiry is refreshed first, so a call never leaves with a token about to die.</summary>
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(60);

    private readonly IDataProtector _tokens = protection.CreateProtector("TeamPlatform.Console.Tokens");

    /// <summary>Signs in with the password grant. Answers the ticket the browser exchanges for its cookie.</summary>
    public async Task<ApiResult<string>> SignInAsync(string orgSlug, string phone, string password, BrowserClient browser, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (db, gateway) = Resolve(scope);
        var tokens = await gateway.PostFormAsync<TokenResponse>("/connect/token",
        [
            new("grant_type", "password"),
            new("username", phone),
            new("password", password),
            new("org", orgSlug),
            new("scope", "offline_access"),
        ], browser, cancellationToken);
        if (!tokens.Succeeded)
        {
            return tokens.Error;
        }

        var ticket = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.Sessions.Add(MemberSession.Start(orgSlug, Protect(tokens.Value), HashOf(ticket), time.GetUtcNow(), TicketLifetime));
        await db.SaveChangesAsync(cancellationToken);
        return new ApiResult<string>(ticket, null);
    }

    /// <summary>Spends a ticket: the session it names, once (two posts of one ticket: one wins), before it expires.</summary>
    public async Task<MemberSession?> ClaimAsync(string ticket, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (db, _) = Resolve(scope);
        var hash = HashOf(ticket);
        var now = time.GetUtcNow();
        var id = await db.Sessions.Where(s => s.TicketHash == hash && s.TicketExpiresAt > now).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            return null;
        }

        var claimed = await db.Sessions.Where(s => s.Id == id && s.TicketHash == hash).ExecuteUpdateAsync(
            update => update.SetProperty(s => s.TicketHash, (byte[]?)null).SetProperty(s => s.TicketExpiresAt, (DateTimeOffset?)null),
            cancellationToken);
        return claimed == 1 ? await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id, cancellationToken) : null;
    }

    public async Task<bool> ExistsAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Resolve(scope).Db.Sessions.AnyAsync(s => s.Id == sessionId && s.TicketHash == null, cancellationToken);
    }

    /// <summary>
    /// An access token of the session that is not about to expire. <paramref name="rejected"/>: the API refused this very
    /// token (a session ended elsewhere, a rotated key), so a refresh decides whether the session lives on.
    /// Refuses with <see cref="ApiError.SessionEnded"/> once the session is over.
    /// </summary>
    public async Task<ApiResult<string>> AccessTokenAsync(Guid sessionId, BrowserClient browser, string? rejected, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (db, gateway) = Resolve(scope);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId && s.TicketHash == null, cancellationToken);
        if (session is null)
        {
            return ApiError.SessionEnded;
        }

        var current = Unprotect(session.ProtectedAccessToken);
        if (current != rejected && !NeedsRefresh(session))
        {
            return new ApiResult<string>(current, null);
        }

        return await RefreshAsync(db, gateway, sessionId, current, browser, cancellationToken);
    }

    /// <summary>Signs the session out at identity (its refresh token revoked) and forgets it.</summary>
    public async Task EndAsync(Guid sessionId, BrowserClient browser, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (db, gateway) = Resolve(scope);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return;
        }

        await RevokeAsync(gateway, session, browser, cancellationToken);
        db.Sessions.Remove(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Ends sessions whose browser never came for them, and registrations nobody finished.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (db, gateway) = Resolve(scope);
        var now = time.GetUtcNow();
        var unclaimed = await db.Sessions.Where(s => s.TicketHash != null && s.TicketExpiresAt < now).ToListAsync(cancellationToken);
        foreach (var session in unclaimed)
        {
            await RevokeAsync(gateway, session, BrowserClient.Unknown, cancellationToken);
            db.Sessions.Remove(session);
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.PendingSignIns.Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }

    private bool NeedsRefresh(MemberSession session) => session.AccessTokenExpiresAt - RefreshAhead <= time.GetUtcNow();

    private static (ConsoleDbContext Db, GatewayClient Gateway) Resolve(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<ConsoleDbContext>(), scope.ServiceProvider.GetRequiredService<GatewayClient>());

    private async Task<ApiResult<string>> RefreshAsync(
        ConsoleDbContext db, GatewayClient gateway, Guid sessionId, string seen, BrowserClient browser, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await db.LockSessionAsync(sessionId, cancellationToken);
        if (session is null)
        {
            return ApiError.SessionEnded;
        }

        var current = Unprotect(session.ProtectedAccessToken);
        if (current != seen && !NeedsRefresh(session))
        {
            return new ApiResult<string>(current, null); // refreshed by another request while this one waited for the lock
        }

        var refreshed = await gateway.PostFormAsync<TokenResponse>("/connect/token",
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", Unprotect(session.ProtectedRefreshToken)),
        ], browser, cancellationToken);
        if (!refreshed.Succeeded)
        {
            if (refreshed.Error.Status is not (400 or 401))
            {
                return refreshed.Error; // identity unreachable: the session may well live on
            }

            logger.LogInformation("Identity refused the refresh of console session {SessionId} ({Reason}): it has ended", sessionId, refreshed.Error.Code);
            db.Sessions.Remove(session);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ApiError.SessionEnded;
        }

        session.Refreshed(Protect(refreshed.Value));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiResult<string>(refreshed.Value.AccessToken, null);
    }

    private async Task RevokeAsync(GatewayClient gateway, MemberSession session, BrowserClient browser, CancellationToken cancellationToken)
    {
        var revoked = await gateway.PostFormAsync<Done>("/connect/revoke",
        [
            new("token", Unprotect(session.ProtectedRefreshToken)),
            new("token_type_hint", "refresh_token"),
        ], browser, cancellationToken);
        if (!revoked.Succeeded)
        {
            logger.LogWarning("Identity did not revoke console session {SessionId} ({Reason})", session.Id, revoked.Error.Code);
        }
    }

    private ProtectedTokens Protect(TokenResponse tokens) => new(
        _tokens.Protect(tokens.AccessToken),
        _tokens.Protect(tokens.RefreshToken ?? throw new InvalidOperationException("Identity issued no refresh token: the offline_access scope is needed.")),
        time.GetUtcNow().AddSeconds(tokens.ExpiresIn));

    private string Unprotect(string protectedToken) => _tokens.Unprotect(protectedToken);

    private static byte[] HashOf(string ticket) => SHA256.HashData(Encoding.UTF8.GetBytes(ticket));

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
