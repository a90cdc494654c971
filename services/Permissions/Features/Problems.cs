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
    public static ProblemHttpResult For(Refusal refusal) => ApiProblem.Of(CodeOf(refusal), refusal.Detail);

    /// <summary>The stable code of a refusal, as its problem carries it (and a preview names it).</summary>
    public static string CodeOf(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => ErrorCodes.ValidationFailed,
        RefusalKind.Forbidden => ErrorCodes.Forbidden,
        RefusalKind.Escalation => ErrorCodes.Escalation,
        RefusalKind.LastAdmin => ErrorCodes.LastAdmin,
        RefusalKind.Removed => ErrorCodes.Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "A refusal kind without a problem."),
    };
}
