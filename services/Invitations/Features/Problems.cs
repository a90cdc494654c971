using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features;

/// <summary>The invitation service's problems: every refusal of the aggregate, in the words of whoever is told.</summary>
public static class Problems
{
    public static ProblemHttpResult InvitationNotFound => ApiProblem.NotFound("The invitation");

    /// <summary>
    /// On the admin routes every refusal is a state conflict (409), the code saying which; the 410s are
    /// for an invitee registering with a dead link (docs/product.md#errors, decision 0302).
    /// </summary>
    public static ProblemHttpResult ForAdmin(RefusalKind refusal) => refusal switch
    {
        RefusalKind.Used => ApiProblem.Of(ErrorCodes.InvitationUsed, "The invitation has been accepted.", 409),
        RefusalKind.Revoked => ApiProblem.Of(ErrorCodes.InvitationRevoked, "The invitation has been revoked.", 409),
        RefusalKind.Expired => ApiProblem.Of(ErrorCodes.InvitationExpired, "The invitation has expired; renew it to get a new link.", 409),
        RefusalKind.NotExpired => ApiProblem.Of(ErrorCodes.InvitationNotExpired, "Only an expired invitation can be renewed; this one is still pending.", 409),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal of an admin route."),
    };

    /// <summary>What an invitee registering with a token is told (docs/internal-api.md).</summary>
    public static ProblemHttpResult ForToken(RefusalKind refusal) => refusal switch
    {
        RefusalKind.PhoneMismatch => ApiProblem.Of(ErrorCodes.InvitationPhoneMismatch, "This invitation is for another phone number.", 403),
        RefusalKind.Used => ApiProblem.Of(ErrorCodes.InvitationUsed, "This invitation has already been used.", 409),
        RefusalKind.Revoked => ApiProblem.Of(ErrorCodes.InvitationRevoked, "This invitation has been revoked.", 410),
        RefusalKind.Expired => ApiProblem.Of(ErrorCodes.InvitationExpired, "This invitation has expired; ask for a new one.", 410),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal of a token."),
    };
}
