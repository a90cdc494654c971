using System.Diagnostics;
using System.Text;

namespace TeamPlatform.ServiceDefaults;

/// <summary>
/// What traces record of a URL: invitation tokens in a path give way to the route's template, and every query value
/// to <c>Redacted</c> (<c>?q=Redacted&amp;page=Redacted</c>), since a value may be a phone, a token or a code. The keys
/// stay, so an operator still sees which filter a request used.
/// </summary>
public static class TelemetryRedaction
{
    public const string RedactedValue = "Redacted";

    /// <summary>Paths whose last segment is a bearer secret: the API's invitation preview and the console's invitation page.</summary>
    private static readonly string[] SecretPathPrefixes = ["/api/invitations/preview/", "/invite/"];

    /// <summary>The path with its secret segment replaced by <c>{token}</c>, when it has one.</summary>
    public static bool TryRedactPath(string? path, out string redacted)
    {
        foreach (var prefix in SecretPathPrefixes)
        {
            if (path is not null && path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                redacted = prefix + "{token}";
                return true;
            }
        }

        redacted = "";
        return false;
    }

    /// <summary>A query string (with or without its leading <c>?</c>) with every value replaced by <c>Redacted</c>.</summary>
    public static string RedactQuery(string query)
    {
        var builder = new StringBuilder(query.Length);
        var body = query.AsSpan();
        if (body.StartsWith("?"))
        {
            builder.Append('?');
            body = body[1..];
        }

        var first = true;
        foreach (var range in body.Split('&'))
        {
            var pair = body[range];
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                builder.Append(pair);
            }
            else
            {
                builder.Append(pair[..equals]).Append('=').Append(RedactedValue);
            }
        }

        return builder.ToString();
    }

    /// <summary>The address an outgoing request's span records: scheme, authority, the path redacted, the query's keys.</summary>
    public static string RedactUrl(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return TryRedactPath(uri.OriginalString, out var relative) ? relative : uri.OriginalString.Split('?')[0];
        }

        var path = TryRedactPath(uri.AbsolutePath, out var redacted) ? redacted : uri.AbsolutePath;
        var query = uri.Query.Length > 1 ? RedactQuery(uri.Query) : "";
        return $"{uri.GetLeftPart(UriPartial.Authority)}{path}{query}";
    }

    /// <summary>An incoming request's span: <c>url.path</c> without a token, <c>url.query</c> without values.</summary>
    internal static void RedactIncoming(Activity activity, string? path, string? query)
    {
        if (TryRedactPath(path, out var redacted))
        {
            activity.SetTag("url.path", redacted);
        }

        if (!string.IsNullOrEmpty(query))
        {
            activity.SetTag("url.query", RedactQuery(query));
        }
    }

    /// <summary>An outgoing request's span: <c>url.full</c> without a token or query values.</summary>
    internal static void RedactOutgoing(Activity activity, HttpRequestMessage request)
    {
        if (TracedAddress(request) is { } address)
        {
            activity.SetTag("url.full", address);
        }
    }

    /// <summary>What an outgoing request's span records as <c>url.full</c>; null when it has no address.</summary>
    public static string? TracedAddress(HttpRequestMessage request) => request.RequestUri switch
    {
        null => null,
        { IsAbsoluteUri: true } uri when request.Options.TryGetValue(PathIsSecret, out var secret) && secret =>
            uri.GetLeftPart(UriPartial.Authority) + "/{path}",
        var uri => RedactUrl(uri),
    };

    /// <summary>
    /// Set on a request to an address someone else chose (a webhook receiver's), whose path may hold that party's own
    /// token: its span records the scheme and authority alone.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> PathIsSecret = new("TeamPlatform.PathIsSecret");
}
