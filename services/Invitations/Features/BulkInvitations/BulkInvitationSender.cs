using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Infrastructure;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <summary>
/// Sends the waiting rows of bulk invitations, at most <see cref="InvitationOptions.BulkSendRatePerSecond"/> per
/// organisation each second, oldest upload first. Each row is checked again by the permission service when it is
/// sent (the inviter's access or the phone may have changed since the upload) and becomes an invitation exactly as
/// one invitation does (<see cref="NewInvitations"/>). Rows are in the database, so a restart resumes where it
/// stopped; an organisation is sent for by one replica at a time, which keeps its rate (decision 0304).
/// </summary>
public sealed partial class BulkInvitationSender(
    IServiceScopeFactory scopeFactory,
    IOptions<InvitationOptions> options,
    TimeProvider time,
    ILogger<BulkInvitationSender> logger) : BackgroundService
{
    /// <summary>The send rate's unit: every second an organisation may send its rate again.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    /// <summary>One round: every organisation with waiting rows sends what its rate allows now. Returns how many were sent.</summary>
    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        List<Guid> organisations;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<InvitationDbContext>();
            organisations = await db.BulkInvitationRows.Where(r => r.ProcessedAt == null).Select(r => r.OrgId).Distinct().ToListAsync(cancellationToken);
        }

        var sent = 0;
        foreach (var orgId in organisations)
        {
            try
            {
                sent += await SendForAsync(orgId, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing of the round was saved for this organisation (the permission service did not answer, say);
                // its rows wait for the next round, and the other organisations still send.
                LogOrganisationFailed(logger, orgId, exception);
            }
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(logger, exception);
            }

            try
            {
                await Task.Delay(RateWindow, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<int> SendForAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InvitationDbContext>();
        var permission = scope.ServiceProvider.GetRequiredService<PermissionClient>();
        var invitations = scope.ServiceProvider.GetRequiredService<NewInvitations>();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryLockBulkSendingAsync(orgId, cancellationToken))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var windowStart = now - RateWindow;
        var sentInWindow = await db.BulkInvitationRows.CountAsync(
            r => r.OrgId == orgId && r.InvitationId != null && r.ProcessedAt > windowStart && r.ProcessedAt <= now, cancellationToken);
        var allowance = options.Value.BulkSendRatePerSecond - sentInWindow;
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, cancellationToken);
        if (allowance <= 0 || organisation is null)
        {
            return 0;
        }

        var rows = await db.BulkInvitationRows
            .FromSql($"""
                SELECT * FROM bulk_invitation_rows
                WHERE org_id = {orgId} AND processed_at IS NULL
                ORDER BY bulk_invitation_id, number
                LIMIT {allowance}
                FOR UPDATE
                """)
            .ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var group in rows.GroupBy(r => r.BulkInvitationId))
        {
            var bulk = await db.BulkInvitations.SingleAsync(b => b.Id == group.Key, cancellationToken);
            sent += await SendRowsAsync(db, permission, invitations, organisation, bulk, group.ToList(), now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var anyWaiting = await db.BulkInvitationRows.AnyAsync(r => r.BulkInvitationId == bulk.Id && r.ProcessedAt == null, cancellationToken);
            bulk.Progressed(anyWaiting, now);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<InvitationMetrics>().Sent(InvitationMetrics.BulkUpload, sent);
        return sent;
    }

    private static async Task<int> SendRowsAsync(
        InvitationDbContext db,
        PermissionClient permission,
        NewInvitations invitations,
        Organisation organisation,
        BulkInvitation bulk,
        IReadOnlyList<BulkInvitationRow> rows,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // Every row of the round counts at the round's time, the time its allowance was reckoned at.
        var check = await permission.CheckInvitationsAsync(
            bulk.OrgId,
            new InvitationBatchCheckRequest(bulk.RequestedBy, rows.Select(r => new InvitationBatchRow(r.Phone, r.Preset, r.Groups)).ToList()),
            cancellationToken);
        if (check.Refusal is { } refusal)
        {
            // The inviter may no longer invite at all: nothing more of this upload is sent.
            foreach (var row in rows)
            {
                row.Skipped(InvitationRowOutcomes.Forbidden, refusal.Code, refusal.Detail, now);
            }

            return 0;
        }

        var sent = 0;
        foreach (var (row, result) in rows.Zip(check.Value!.Rows))
        {
            if (result.Outcome != InvitationRowOutcomes.Invite || result.Access is not { } access)
            {
                row.Skipped(result.Outcome, result.Code, result.Detail, now);
                continue;
            }

            var invitation = await invitations.IssueAsync(
                db, organisation, bulk.RequestedBy, check.Value.InviterUsername, row.Phone, email: null, access, bulk.Replace, cancellationToken);
            if (invitation is null)
            {
                row.Skipped(InvitationRowOutcomes.AlreadyInvited, null, "This phone was invited after the upload; upload with replace=true to replace it.", now);
                continue;
            }

            row.Invited(invitation.Id, now);
            sent++;
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk invitations of organisation {OrgId} could not be sent; they wait for the next round")]
    private static partial void LogOrganisationFailed(ILogger logger, Guid orgId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of bulk invitation sending failed; it runs again in a second")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
