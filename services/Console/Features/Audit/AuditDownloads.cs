using System.Net;
using System.Net.Http.Headers;
using ContentDisposition = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue;
using Microsoft.Extensions.Options;
using TeamPlatform.Console.Infrastructure.Gateway;
using TeamPlatform.Console.Infrastructure.Sessions;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Console.Features.Audit;

/// <summary>
/// The audit and the access review as CSV files: plain links the browser downloads, which the console answers by
/// passing the API's stream through with the member's token, row by row, so that a large organisation's export
/// never sits in the console's memory. A refusal returns to the audit page, which says why.
/// </summary>
public static class AuditDownloads
{
    public const string AuditPath = "/downloads/audit.csv";
    public const string AccessReviewPath = "/downloads/access-review.csv";

    /// <summary><see cref="AuditPath"/>: the whole audit, oldest first.</summary>
    public static Task AuditAsync(HttpContext context, DownloadClient client, MemberSessions sessions) =>
        DownloadAsync(context, client, sessions, "/api/audit?format=csv", "audit");

    /// <summary><see cref="AccessReviewPath"/>: who holds which permission now.</summary>
    public static Task AccessReviewAsync(HttpContext context, DownloadClient client, MemberSessions sessions) =>
        DownloadAsync(context, client, sessions, "/api/access-review?format=csv", "access-review");

    private static async Task DownloadAsync(HttpContext context, DownloadClient client, MemberSessions sessions, string path, string name)
    {
        var cancellationToken = context.RequestAborted;
        var browser = BrowserClient.Of(context);
        if (context.User.ConsoleSessionId() is not { } sessionId)
        {
            context.Response.Redirect("/");
            return;
        }

        string? rejected = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var token = await sessions.AccessTokenAsync(sessionId, browser, rejected, cancellationToken);
            if (!token.Succeeded)
            {
                context.Response.Redirect(token.Error.Code == ApiError.Unauthenticated ? "/" : Refused(token.Error.Code));
                return;
            }

            using var answer = await client.OpenAsync(path, browser, token.Value, cancellationToken);
            if (answer is null)
            {
                context.Response.Redirect(Refused(ApiError.Unreachable));
                return;
            }

            if (answer.StatusCode == HttpStatusCode.Unauthorized)
            {
                rejected = token.Value;
                continue;
            }

            if (!answer.IsSuccessStatusCode)
            {
                var error = await ApiErrors.ReadAsync(answer, cancellationToken);
                context.Response.Redirect(Refused(error.Code));
                return;
            }

            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8";
            var file = $"{name}-{DateTimeOffset.UtcNow:yyyy-MM-dd}.csv";
            var disposition = new ContentDisposition("attachment");
            disposition.SetHttpFileName(file);
            context.Response.Headers.ContentDisposition = disposition.ToString();
            context.Response.Headers.CacheControl = "no-store";
            await using var rows = await answer.Content.ReadAsStreamAsync(cancellationToken);
            await rows.CopyToAsync(context.Response.Body, cancellationToken);
            return;
        }

        context.Response.Redirect("/");
    }

    private static string Refused(string code) => $"/audit?refused={Uri.EscapeDataString(code)}";
}

/// <summary>
/// The gateway for downloads: the answer is handed over once its headers arrive, and the rows that follow may take as
/// long as the export does (the console's other calls are bounded at a few seconds, which a large export outlasts).
/// </summary>
public sealed class DownloadClient(HttpClient http, IOptions<TrustedProxyOptions> proxies, ILogger<DownloadClient> logger)
{
    public async Task<HttpResponseMessage?> OpenAsync(string path, BrowserClient browser, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        browser.AddTo(request, proxies.Value.Key);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The gateway did not answer a download of {Route}", path.Split('?')[0]);
            return null;
        }
    }
}
