using TeamPlatform.Identity.Domain;
using TeamPlatform.Internal;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>Every password and refresh grant asks permission for the member's current status.</summary>
internal static class MemberStatusCheck
{
    /// <summary>Null when the member may have tokens; otherwise the refusal (<see cref="LoginPolicy.RefusalForStatus"/>).</summary>
    public static async Task<string?> StatusRefusalAsync(this PermissionClient permission, Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        var member = await permission.GetMemberAsync(orgId, memberId, cancellationToken);
        return LoginPolicy.RefusalForStatus(member?.Status);
    }
}
