using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Messaging;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// The hourly caps on codes per phone and per client IP (docs/product.md#bad-input-and-abuse), counted in the
/// database so that every replica counts the same. Call inside the transaction that sends the code: the advisory locks make two
/// requests for the same phone or IP count one after the other, so the cap is exact.
/// </summary>
public sealed class OtpSendLog(IdentityDbContext db, IOptions<OtpOptions> options, IdentityMetrics metrics, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Records a send, or answers how long to wait when a cap is reached (nothing recorded then).</summary>
    public async Task<TimeSpan?> TryRecordAsync(string phone, string clientIp, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Codes are counted inside the transaction that sends them.");
        }

        var now = time.GetUtcNow();
        var since = now - Window;
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(hashtext('otp-phone:' || {phone})), pg_advisory_xact_lock(hashtext('otp-ip:' || {clientIp}))",
            cancellationToken);

        var settings = options.Value;
        var phoneWait = await WaitAsync(db.OtpSends.Where(s => s.Phone == phone && s.SentAt > since), settings.MaxCodesPerPhonePerHour, now, cancellationToken);
        var ipWait = await WaitAsync(db.OtpSends.Where(s => s.ClientIp == clientIp && s.SentAt > since), settings.MaxCodesPerIpPerHour, now, cancellationToken);
        if (phoneWait is not null || ipWait is not null)
        {
            return TimeSpan.FromTicks(Math.Max(phoneWait?.Ticks ?? 0, ipWait?.Ticks ?? 0));
        }

        db.OtpSends.Add(new OtpSend { Phone = phone, ClientIp = clientIp, SentAt = now });
        return null;
    }

    /// <summary>Queues the code for the notification service, in the same transaction.</summary>
    public void Send(Organisation organisation, string phone, string code, string purpose, DateTimeOffset expiresAt)
    {
        db.AddOutboxCommand(
            new SendOtp(Guid.CreateVersion7(time.GetUtcNow()), organisation.Id, organisation.Name, phone, code, purpose,
                organisation.Settings.Language, expiresAt, time.GetUtcNow()),
            CommandQueues.Notification);
        metrics.CodeSent(purpose);
    }

    // With the cap reached, the oldest send in the window decides when one more is allowed.
    private static async Task<TimeSpan?> WaitAsync(IQueryable<OtpSend> sends, int cap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var times = await sends.OrderByDescending(s => s.SentAt).Select(s => s.SentAt).Take(cap).ToListAsync(cancellationToken);
        return times.Count < cap ? null : times[^1] + Window - now;
    }
}
