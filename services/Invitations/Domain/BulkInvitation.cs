namespace TeamPlatform.Invitations.Domain;

/// <summary>Where a bulk invitation is: accepted and waiting, sending, or every row done.</summary>
public enum BulkInvitationStatus
{
    Queued,
    Running,
    Completed,
}

public static class BulkInvitationStatusNames
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";

    public static string NameOf(BulkInvitationStatus status) => status switch
    {
        BulkInvitationStatus.Queued => Queued,
        BulkInvitationStatus.Running => Running,
        _ => Completed,
    };

    public static BulkInvitationStatus Parse(string name) => name switch
    {
        Queued => BulkInvitationStatus.Queued,
        Running => BulkInvitationStatus.Running,
        Completed => BulkInvitationStatus.Completed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a bulk invitation status."),
    };
}

/// <summary>
/// An upload of up to <see cref="MaxRows"/> phones to invite, sent row by row at the organisation's send rate
/// (docs/decisions/0304-bulk-invitations.md). It is the audit entry of the bulk action: who asked, when, under which
/// <c>Idempotency-Key</c>, and what became of every row; each invitation it creates is one of its own.
/// </summary>
public sealed class BulkInvitation
{
    public const int MaxRows = 1000;

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>How long an <c>Idempotency-Key</c> names its upload: a retry within it answers the same bulk invitation.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    private readonly List<BulkInvitationRow> _rows = [];

    private BulkInvitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public Guid RequestedBy { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    /// <summary>SHA-256 of the rows as read and of <see cref="Replace"/>: a key sent again with another upload is refused.</summary>
    public byte[] RequestHash { get; private set; } = [];

    /// <summary>Whether a row whose phone has an open invitation replaces it (decision 0301) rather than being skipped.</summary>
    public bool Replace { get; private set; }

    public BulkInvitationStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public IReadOnlyList<BulkInvitationRow> Rows => _rows;

    /// <param name="rows">Every row with the outcome judged at upload; rows to invite wait for the sender, the others are done.</param>
    public static BulkInvitation Submit(
        Guid id, Guid orgId, Guid requestedBy, string idempotencyKey, byte[] requestHash, bool replace, IEnumerable<BulkInvitationRow> rows, DateTimeOffset now)
    {
        var bulk = new BulkInvitation
        {
            Id = id,
            OrgId = orgId,
            RequestedBy = requestedBy,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Replace = replace,
            Status = BulkInvitationStatus.Queued,
            CreatedAt = Truncate(now),
        };
        bulk._rows.AddRange(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bulk._rows.Count, MaxRows);
        if (bulk._rows.TrueForAll(r => !r.IsWaiting))
        {
            bulk.Status = BulkInvitationStatus.Completed;
            bulk.CompletedAt = bulk.CreatedAt;
        }

        return bulk;
    }

    public bool IsSameRequest(byte[] requestHash) => RequestHash.AsSpan().SequenceEqual(requestHash);

    /// <summary>Rows have been sent or skipped; <paramref name="anyWaiting"/> says whether some are still to send.</summary>
    public void Progressed(bool anyWaiting, DateTimeOffset now)
    {
        if (Status == BulkInvitationStatus.Completed)
        {
            return;
        }

        Status = anyWaiting ? BulkInvitationStatus.Running : BulkInvitationStatus.Completed;
        CompletedAt = anyWaiting ? null : Truncate(now);
    }

    internal static DateTimeOffset Truncate(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}

/// <summary>
/// One row of a bulk invitation: the phone, preset and groups as uploaded, and what became of it. A row to invite
/// waits (<see cref="IsWaiting"/>) until the sender creates its invitation or finds, checking again, that it cannot.
/// </summary>
public sealed class BulkInvitationRow
{
    public const int MaxPhoneLength = 40;
    public const int MaxPresetLength = 40;

    private BulkInvitationRow()
    {
    }

    public Guid BulkInvitationId { get; private set; }

    /// <summary>The row's place in the upload, from 1 (the first row after a CSV's header).</summary>
    public int Number { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>In E.164 when it is a phone number; as uploaded (cut to <see cref="MaxPhoneLength"/>) otherwise.</summary>
    public string Phone { get; private set; } = "";

    public string? Preset { get; private set; }

    /// <summary>Group ids or names, as uploaded.</summary>
    public string[] Groups { get; private set; } = [];

    /// <summary>One of the outcomes of <c>InvitationRowOutcomes</c> (TeamPlatform.Internal).</summary>
    public string Outcome { get; private set; } = "";

    public string? Code { get; private set; }

    public string? Detail { get; private set; }

    public Guid? InvitationId { get; private set; }

    /// <summary>When the row was done: sent, or skipped (at upload, or by the sender's own check).</summary>
    public DateTimeOffset? ProcessedAt { get; private set; }

    public bool IsWaiting => ProcessedAt is null;

    /// <param name="waiting">A row to invite; any other outcome is done at <paramref name="now"/>.</param>
    public static BulkInvitationRow Of(
        Guid bulkInvitationId, int number, Guid orgId, string phone, string? preset, IReadOnlyList<string> groups,
        string outcome, string? code, string? detail, bool waiting, DateTimeOffset now) => new()
    {
        BulkInvitationId = bulkInvitationId,
        Number = number,
        OrgId = orgId,
        Phone = phone.Length > MaxPhoneLength ? phone[..MaxPhoneLength] : phone,
        Preset = preset is { Length: > MaxPresetLength } ? preset[..MaxPresetLength] : preset,
        Groups = [.. groups],
        Outcome = outcome,
        Code = code,
        Detail = detail,
        ProcessedAt = waiting ? null : BulkInvitation.Truncate(now),
    };

    public void Invited(Guid invitationId, DateTimeOffset now)
    {
        InvitationId = invitationId;
        ProcessedAt = BulkInvitation.Truncate(now);
    }

    /// <summary>The sender's own check refused the row (its state changed since the upload).</summary>
    public void Skipped(string outcome, string? code, string? detail, DateTimeOffset now)
    {
        Outcome = outcome;
        Code = code;
        Detail = detail;
        ProcessedAt = BulkInvitation.Truncate(now);
    }
}
