using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features;

/// <summary>The permission service's problems: every refusal of a rule by its kind, and what is not there.</summary>
public static class Problems
{
    public static ProblemHttpResult MemberNotFound => ApiProblem.NotFound("The member");

    public static ProblemHttpResult GroupNotFound => ApiProblem.NotFound("The group");

    public static ProblemHttpResult GroupNameTaken => ApiProblem.Of(ErrorCodes.Conflict, "The organisation already has a group with this name.");

    /// <summary>The code says which kind of rule refused; the detail is the rule's own words.</summary>
    public static ProblemHttpResult For(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => ApiProblem.Of(ErrorCodes.ValidationFailed, refusal.Detail),
        RefusalKind.Forbidden => ApiProblem.Of(ErrorCodes.Forbidden, refusal.Detail),
        RefusalKind.Escalation => ApiProblem.Of(ErrorCodes.Escalation, refusal.Detail),
        RefusalKind.LastAdmin => ApiProblem.Of(ErrorCodes.LastAdmin, refusal.Detail),
        RefusalKind.Removed => ApiProblem.Of(ErrorCodes.Conflict, refusal.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "A refusal kind without a problem."),
    };
}
