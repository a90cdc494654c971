using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>
/// Turns unreadable requests (bad JSON, wrong types, unbindable parameters, oversized bodies, another media type) into
/// 400 / 413 / 415 problems, never a 500. The detail speaks the API's language (<see cref="BadRequestDescription"/>).
/// </summary>
internal sealed class BadRequestExceptionHandler(
    IProblemDetailsService problemDetails,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var status = badRequest.StatusCode;
        var code = ErrorCodes.ForStatus(status);
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Payload too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Invalid request",
                },
                Detail = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => $"The request body is larger than {ApiDefaults.MaxRequestBodyBytes / 1024} KiB.",
                    StatusCodes.Status415UnsupportedMediaType => BadRequestDescription.OfMediaType(httpContext),
                    _ => BadRequestDescription.Of(badRequest, httpContext, json.Value.SerializerOptions),
                },
                Extensions = { ["code"] = code },
            },
        });
    }
}
