using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>
/// Webhooks carry members' phones, so only an organisation's admins manage them: a member whose permission check for
/// <c>admin_settings</c> says they are an admin.
/// </summary>
public static class WebhookAdmins
{
    public sealed record Admin(Guid OrgId, Guid MemberId);

    public static async Task<(Admin? Admin, ProblemHttpResult? Refusal)> AdminAsync(
        ClaimsPrincipal user, PermissionClient permissions, CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId || user.MemberId() is not { } memberId)
        {
            return (null, ApiProblem.Forbidden("Webhooks are an organisation's: sign in as one of its admins."));
        }

        var answer = await permissions.CheckAsync(orgId, memberId, PermissionClient.AdminSettings, cancellationToken);
        return answer is { Allowed: true, IsAdmin: true }
            ? (new Admin(orgId, memberId), null)
            : (null, ApiProblem.Forbidden("Only the organisation's admins manage webhooks: the events carry members' phones."));
    }
}
