namespace TeamPlatform.Permissions.Domain;

/// <summary>
/// What a new member may be invited with (docs/product.md#no-escalation): the rules of one invitation check, applied
/// alike to a single invitation and to each row of a bulk upload.
/// </summary>
public static class InvitationPolicy
{
    /// <summary>Why a phone that belongs to a member (of any status but removed) is not invited.</summary>
    public const string AlreadyMemberDetail = "A member of this organisation already has this phone.";

    private static readonly Refusal TimeBoundInvitation =
        Refusal.Invalid("An invitation gives lasting access: make the access time-bound once the member has joined.");

    /// <summary>
    /// The access <paramref name="document"/> gives a new member, if <paramref name="actor"/> may preset it: a valid
    /// document, not role <c>none</c>, lasting (time-bound access is given to members, not to invitations), only groups the
    /// organisation has, nothing the actor could not grant (a group admin: only grants on their groups, docs/permissions.md#group-admins).
    /// </summary>
    /// <param name="knownGroups">Which of the groups the document names the organisation has.</param>
    public static Refusal? CheckAccess(Member actor, AccessDocument document, IReadOnlySet<Guid> knownGroups, out Access access) =>
        document.Resolve(Access.Nothing, out access)
        ?? (document.ExpiresAt is null && document.Then is null ? null : TimeBoundInvitation)
        ?? Organisation.CheckInvitedAccess(access)
        ?? Group.FirstUnknown(document.ReferencedGroups(), knownGroups)
        ?? (TeamPolicy.MayManageTeam(actor)
            ? TeamPolicy.EnsureMayGrant(actor, target: null, access) ?? TeamPolicy.EnsureMayAppoint(actor, Access.NoAccess, access)
            : TeamPolicy.EnsureWithinGroups(actor, Invitee, lapseBefore: null, new MemberState(MemberStatus.Active, access), lapse: null));

    /// <summary>A new member before they join: a group admin invites as they approve, with a grant on one of their groups.</summary>
    private static readonly MemberState Invitee = new(MemberStatus.PendingApproval, Access.NoAccess);
}
