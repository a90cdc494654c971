using Microsoft.AspNetCore.Http;
using TeamPlatform.Console.Infrastructure;
using Xunit;

namespace TeamPlatform.Console.Tests.Infrastructure;

/// <summary>Every answer of the console, a page, a file or its 404, carries its own policy; each response its own nonce.</summary>
public sealed class ConsoleSecurityHeaderTests
{
    [Theory]
    [InlineData("/", 200)]
    [InlineData("/_framework/blazor.web.js", 200)]
    [InlineData("/no-such-page", 404)]
    public async Task Every_console_answer_is_never_framed_sniffed_or_scripted_from_elsewhere(string path, int status)
    {
        var context = await AnswerAsync(path, status);

        var headers = context.Response.Headers;
        var nonce = ConsoleSecurityHeaders.NonceOf(context);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", headers.XFrameOptions.ToString());
        Assert.Equal("same-origin", headers["Referrer-Policy"].ToString());
        var policy = headers.ContentSecurityPolicy.ToString().Split("; ");
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
    }

    [Fact]
    public async Task Each_answer_has_a_nonce_of_its_own()
    {
        var first = await AnswerAsync("/", 200);
        var second = await AnswerAsync("/", 200);

        Assert.NotEqual(ConsoleSecurityHeaders.NonceOf(first), ConsoleSecurityHeaders.NonceOf(second));
    }

    private static async Task<HttpContext> AnswerAsync(string path, int status)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        var middleware = new ConsoleSecurityHeaders(answered =>
        {
            answered.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        await middleware.InvokeAsync(context);
        return context;
    }
}
