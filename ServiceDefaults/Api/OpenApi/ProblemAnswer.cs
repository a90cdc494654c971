using Microsoft.AspNetCore.Builder;

namespace TeamPlatform.ServiceDefaults.Api.OpenApi;

/// <summary>An error answer that only the endpoint knows it gives (a 409 and its codes): the OpenAPI document lists it.</summary>
public sealed record ProblemAnswer(int Status, IReadOnlyList<string> Codes);

public static class ProblemAnswerExtensions
{
    /// <summary>The endpoint answers <paramref name="status"/> with one of <paramref name="codes"/> (as RFC 9457 problem details).</summary>
    public static TBuilder ProducesProblemCodes<TBuilder>(this TBuilder endpoint, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ProblemAnswer(status, codes));
}
