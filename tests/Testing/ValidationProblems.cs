using System.Net;
using System.Text.Json;
using Xunit;

namespace TeamPlatform.Testing;

public static class ValidationProblems
{
    /// <summary>
    /// Asserts a <c>400 validation_failed</c> problem whose detail speaks the API's language (no .NET type, namespace or
    /// parameter declaration), and answers the detail. <paramref name="why"/> names the case in a failure.
    /// </summary>
    public static async Task<string> DetailOfAsync(HttpResponseMessage response, string? why = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(DotNetWordIn(detail) is null, $"{why}: the detail names .NET: {detail}");
        return detail;
    }

    /// <summary>The first word of .NET's (a type, a namespace, a parameter declaration) in <paramref name="text"/>, if any.</summary>
    public static string? DotNetWordIn(string text) =>
        new[] { "TeamPlatform", ".NET", "Nullable", "System." }.FirstOrDefault(word => text.Contains(word, StringComparison.Ordinal));
}
