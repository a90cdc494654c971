using TeamPlatform.Internal;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <summary>A row with what happens to it.</summary>
/// <param name="Phone">In E.164 when the row's phone is one; as uploaded otherwise.</param>
public sealed record JudgedRow(UploadedRow Row, string Phone, string Outcome, string? Code, string? Detail)
{
    public bool ToInvite => Outcome == InvitationRowOutcomes.Invite;
}

/// <summary>
/// What happens to each row of an upload: first what this service knows (a phone, the chatbot number, a phone
/// given twice), then the permission service's check of the rest, then the phones that have an open invitation.
/// </summary>
public static class BulkPlan
{
    /// <summary>The rows this service refuses by itself; null for a row the permission service must judge.</summary>
    public static IReadOnlyList<JudgedRow?> Screen(IReadOnlyList<UploadedRow> rows, string? chatbotPhone)
    {
        var firstRowOf = new Dictionary<string, int>();
        var screened = new List<JudgedRow?>(rows.Count);
        foreach (var row in rows)
        {
            if (!Phones.TryNormalize(row.Phone, out var phone))
            {
                screened.Add(new JudgedRow(row, row.Phone, InvitationRowOutcomes.InvalidPhone, ErrorCodes.InvalidPhone, "phone must be a valid number in E.164: + and digits."));
            }
            else if (phone == chatbotPhone)
            {
                screened.Add(new JudgedRow(row, phone, InvitationRowOutcomes.ChatbotNumber, ErrorCodes.ChatbotNumber, "This is the organisation's chatbot number; invite a personal number."));
            }
            else if (firstRowOf.TryGetValue(phone, out var first))
            {
                screened.Add(new JudgedRow(row, phone, InvitationRowOutcomes.DuplicateRow, null, $"The same phone as row {first}."));
            }
            else
            {
                firstRowOf[phone] = row.Number;
                screened.Add(null);
            }
        }

        return screened;
    }

    /// <summary>A row the permission service has judged, given whether its phone has an open invitation.</summary>
    public static JudgedRow Judge(UploadedRow row, string phone, InvitationBatchResult check, bool hasOpenInvitation, bool replace) =>
        check.Outcome != InvitationRowOutcomes.Invite ? new JudgedRow(row, phone, check.Outcome, check.Code, check.Detail)
        : !hasOpenInvitation ? new JudgedRow(row, phone, InvitationRowOutcomes.Invite, null, null)
        : replace ? new JudgedRow(row, phone, InvitationRowOutcomes.Invite, null, "Replaces the open invitation of this phone.")
        : new JudgedRow(row, phone, InvitationRowOutcomes.AlreadyInvited, null, "This phone has an open invitation; upload with replace=true to replace it.");

}
