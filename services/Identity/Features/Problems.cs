using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Features;

/// <summary>The identity service's problems: every refusal of a rule by its kind.</summary>
public static class Problems
{
    /// <summary>The code says which kind of rule refused; the detail is the rule's own words.</summary>
    public static ProblemHttpResult For(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => ApiProblem.Of(ErrorCodes.ValidationFailed, refusal.Detail),
        RefusalKind.InvalidPhone => ApiProblem.Of(ErrorCodes.InvalidPhone, refusal.Detail),
        RefusalKind.WeakPassword => ApiProblem.Of(ErrorCodes.WeakPassword, refusal.Detail),
        RefusalKind.ChatbotNumber => ApiProblem.Of(ErrorCodes.ChatbotNumber, refusal.Detail),
        RefusalKind.RegistrationClosed => ApiProblem.Of(ErrorCodes.RegistrationClosed, refusal.Detail),
        RefusalKind.OtpInvalid => ApiProblem.Of(ErrorCodes.OtpInvalid, refusal.Detail),
        RefusalKind.OtpExpired => ApiProblem.Of(ErrorCodes.OtpExpired, refusal.Detail),
        RefusalKind.OtpLocked => ApiProblem.Of(ErrorCodes.OtpLocked, refusal.Detail),
        RefusalKind.AlreadyVerified => ApiProblem.Of(ErrorCodes.Conflict, refusal.Detail),
        RefusalKind.TooSoon => ApiProblem.Of(ErrorCodes.RateLimited, refusal.Detail),
        // A login's refusals are the token endpoint's OAuth answers (LoginRefusals), never a problem.
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "A refusal kind without a problem."),
    };
}
