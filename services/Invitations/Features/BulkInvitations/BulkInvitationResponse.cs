using System.Text.Json.Serialization;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Domain;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <param name="Row">The row's place in the upload, from 1 (the first row after a CSV's header).</param>
/// <param name="Code">The error code one invitation of this row would have been refused with.</param>
/// <param name="InvitationId">The invitation created for the row, once sent.</param>
public sealed record BulkRowResponse(
    int Row,
    string Phone,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? InvitationId);

/// <param name="Invite">Rows to invite (a dry run), or invited and still to send (a bulk invitation).</param>
/// <param name="Outcomes">Rows by outcome.</param>
public sealed record BulkSummary(int Total, int Invite, int Skipped, IReadOnlyDictionary<string, int> Outcomes)
{
    public static BulkSummary Of(IReadOnlyCollection<string> outcomes)
    {
        var invite = outcomes.Count(o => o == InvitationRowOutcomes.Invite);
        return new BulkSummary(
            outcomes.Count,
            invite,
            outcomes.Count - invite,
            outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }
}

/// <summary><c>POST /api/invitations/bulk?dryRun=true</c>: what would happen to each row; nothing is written or sent.</summary>
public sealed record BulkDryRunResponse(IReadOnlyList<BulkRowResponse> Rows, BulkSummary Summary)
{
    public static BulkDryRunResponse Of(IReadOnlyList<JudgedRow> rows) => new(
        rows.Select(r => new BulkRowResponse(r.Row.Number, r.Phone, r.Outcome, r.Code, r.Detail, null)).ToList(),
        BulkSummary.Of(rows.Select(r => r.Outcome).ToList()));
}

/// <summary>A bulk invitation: its progress and every row's result.</summary>
/// <param name="Invited">Rows whose invitation has been created and sent.</param>
/// <param name="Remaining">Rows still to send.</param>
public sealed record BulkInvitationResponse(
    Guid Id,
    BulkInvitationStatus Status,
    bool Replace,
    Guid RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int Invited,
    int Remaining,
    BulkSummary Summary,
    IReadOnlyList<BulkRowResponse> Rows)
{
    public static string LocationOf(Guid id) => $"/api/invitations/bulk/{id}";

    public static BulkInvitationResponse Of(BulkInvitation bulk)
    {
        var rows = bulk.Rows.OrderBy(r => r.Number).ToList();
        return new BulkInvitationResponse(
            bulk.Id,
            bulk.Status,
            bulk.Replace,
            bulk.RequestedBy,
            bulk.CreatedAt,
            bulk.CompletedAt,
            rows.Count(r => r.InvitationId is not null),
            rows.Count(r => r.IsWaiting),
            BulkSummary.Of(rows.Select(r => r.Outcome).ToList()),
            rows.Select(r => new BulkRowResponse(r.Number, r.Phone, r.Outcome, r.Code, r.Detail, r.InvitationId)).ToList());
    }
}
