using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Internal;

namespace TeamPlatform.ServiceDefaults.Api;

public static class ValidationFilterExtensions
{
    /// <summary>Validates the endpoint's <typeparamref name="TRequest"/> argument with its FluentValidation validator.</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();
}

/// <summary>
/// Answers 400 before the handler runs. A rule that names one of <see cref="ErrorCodes"/> with
/// <c>WithErrorCode</c> (say <c>invalid_phone</c>) gives the problem that code; otherwise it is <c>validation_failed</c>.
/// </summary>
internal sealed class ValidationFilter<TRequest>(IServiceProvider services) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        var validator = services.GetService<IValidator<TRequest>>();
        if (request is null || validator is null)
        {
            return request is null
                ? ApiProblem.Validation("The request body is missing.")
                : await next(context);
        }

        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        if (result.IsValid)
        {
            return await next(context);
        }

        var errors = result.ToDictionary();
        var specific = result.Errors.Select(e => e.ErrorCode).FirstOrDefault(IsProductCode);
        if (specific is not null)
        {
            var problem = ApiProblem.Validation(errors);
            problem.ProblemDetails.Extensions["code"] = specific;
            problem.ProblemDetails.Title = "Invalid request";
            problem.ProblemDetails.Detail = result.Errors.First(e => e.ErrorCode == specific).ErrorMessage;
            return problem;
        }

        return ApiProblem.Validation(errors);
    }

    private static bool IsProductCode(string? code) => !string.IsNullOrEmpty(code) && code.All(c => char.IsAsciiLetterLower(c) || c == '_');
}
