using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

/// <summary>Turns unreadable requests (bad JSON, wrong types, oversized bodies) into 400 / 413 problems, never a 500.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
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
                Title = status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Invalid request",
                Detail = status == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is larger than {ApiDefaults.MaxRequestBodyBytes / 1024} KiB."
                    : Describe(badRequest),
                Extensions = { ["code"] = code },
            },
        });
    }

    // The framework's message names the parameter; the inner JSON error says what is wrong with the body.
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : exception.Message;
}
