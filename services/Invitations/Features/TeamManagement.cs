using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features;

/// <summary>
/// Team management needs <c>admin_settings</c> (docs/product.md#team-management), asked of the permission service on every request so
/// that a change of access applies at once. Runs before the handler, after authentication.
/// </summary>
internal sealed class TeamManagementFilter(PermissionClient permission) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Member() is not { } caller)
        {
            return ApiProblem.Forbidden("Invitations are managed by members of an organisation.");
        }

        if (!await permission.HoldsAsync(caller.OrgId, caller.MemberId, PermissionClient.AdminSettings, http.RequestAborted))
        {
            return ApiProblem.Forbidden("Managing invitations needs admin_settings.");
        }

        return await next(context);
    }
}

/// <summary>Answers 503 when the permission service cannot say whether the caller may do this: never a 500, never a guess.</summary>
internal sealed class PermissionUnavailableHandler(IProblemDetailsService problemDetails, ILogger<PermissionUnavailableHandler> logger)
    : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PermissionUnavailableException)
        {
            return false;
        }

        logger.LogWarning(exception, "The permission service could not answer");
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "The permission service did not answer; try again shortly.",
                Extensions = { ["code"] = ErrorCodes.ServiceUnavailable },
            },
        });
    }
}
