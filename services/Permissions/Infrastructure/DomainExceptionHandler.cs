using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Infrastructure;

/// <summary>
/// A domain rule's refusal becomes the problem SPEC §5 names (<c>last_admin</c>, <c>escalation</c>…). The
/// refusal is thrown inside the change's transaction, which is rolled back: nothing is half-written.
/// </summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainException refusal)
        {
            return false;
        }

        var status = ErrorCodes.StatusOf(refusal.Code);
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = char.ToUpperInvariant(refusal.Code[0]) + refusal.Code[1..].Replace('_', ' '),
                Detail = refusal.Message,
                Extensions = { ["code"] = refusal.Code },
            },
        });
    }
}
