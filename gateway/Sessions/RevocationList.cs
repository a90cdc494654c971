using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TeamPlatform.Gateway.Sessions;

public sealed class SessionRevocationOptions
{
    public const string Section = "Gateway:Sessions";

    /// <summary>How long a revocation is kept: at least the longest access-token lifetime plus clock skew.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(20);
}

/// <summary>
/// This gateway instance's list of ended sessions: a blocked member's access tokens are refused within a second
/// (docs/product.md#sessions-end-with-access). Filled from identity at start, then by <c>MemberSessionsRevoked</c>;
/// entries older than any access token can live are forgotten. Adding is idempotent: the latest <c>revokedBefore</c> wins.
/// </summary>
public sealed class RevocationList(IOptions<SessionRevocationOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _members = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _sessions = new();
    private long _nextPruneTicks;

    public int Count => _members.Count + _sessions.Count;

    public void Add(Guid memberId, Guid? sessionId, DateTimeOffset revokedBefore)
    {
        var entries = sessionId is null ? _members : _sessions;
        entries.AddOrUpdate(sessionId ?? memberId, revokedBefore, (_, known) => known > revokedBefore ? known : revokedBefore);
        PruneIfDue();
    }

    /// <summary>
    /// Whether a token of <paramref name="memberId"/> for session <paramref name="sessionId"/>, issued at
    /// <paramref name="issuedAt"/>, was issued before its session or member was revoked. Tokens carry <c>iat</c> in
    /// whole seconds, so a session that started after a member-wide revocation (its id is a version 7 UUID, whose
    /// timestamp is its start) is let through even when its first token's <c>iat</c> is rounded down before it.
    /// </summary>
    public bool IsRevoked(Guid memberId, Guid sessionId, DateTimeOffset issuedAt)
    {
        if (_sessions.TryGetValue(sessionId, out var sessionRevokedBefore) && issuedAt < sessionRevokedBefore)
        {
            return true;
        }

        return _members.TryGetValue(memberId, out var memberRevokedBefore)
               && issuedAt < memberRevokedBefore
               && !(StartOf(sessionId) is { } started && started >= memberRevokedBefore);
    }

    /// <summary>The start of a session whose id is a version 7 UUID (milliseconds since the epoch in its first 48 bits).</summary>
    public static DateTimeOffset? StartOf(Guid sessionId)
    {
        if (sessionId.Version != 7)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        sessionId.TryWriteBytes(bytes, bigEndian: true, out _);
        var milliseconds = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    private void PruneIfDue()
    {
        var now = time.GetUtcNow();
        var next = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPruneTicks, now.AddMinutes(1).UtcTicks, next) != next)
        {
            return;
        }

        var horizon = now - options.Value.Retention;
        foreach (var entries in new[] { _members, _sessions })
        {
            foreach (var (key, revokedBefore) in entries)
            {
                if (revokedBefore < horizon)
                {
                    entries.TryRemove(new KeyValuePair<Guid, DateTimeOffset>(key, revokedBefore));
                }
            }
        }
    }
}
