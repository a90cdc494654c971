using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace TeamPlatform.System.Tests.Fuzz;

/// <summary>Who sends a generated request: each one a way a real caller could come.</summary>
public enum Caller
{
    /// <summary>No token at all.</summary>
    Anonymous,

    /// <summary>The admin of the organisation that takes the valid writes.</summary>
    Writer,

    /// <summary>The admin of organisation A, naming organisation B's ids.</summary>
    Outsider,

    /// <summary>A staff member of organisation A: a valid token without <c>admin_settings</c>.</summary>
    Unpermitted,

    /// <summary>A token of organisation A whose session was ended (signed out).</summary>
    SignedOut,

    /// <summary>A token that expired ten minutes ago.</summary>
    Expired,

    /// <summary>A member's token forged in one of the ways RFC 8725 names.</summary>
    Forged,
}

/// <summary>What was done to a request on purpose, so that a failure says which kind of input found it.</summary>
public enum Breakage
{
    None,
    WrongType,
    TooLong,
    BadFormat,
    Null,
    UnknownMember,
    HugeNumber,
    InvalidUtf8,
    Unstorable,
    DeepNesting,
    OverOneMebibyte,
    Malformed,
    MissingBody,
    WrongMediaType,
    BadPathValue,
    ForeignId,
    QueryOutOfBounds,
}

/// <summary>One generated request: the operation it exercises (as its document names it) and the bytes it sends.</summary>
public sealed record FuzzRequest(
    int Index,
    string Service,
    HttpMethod Method,
    string PathTemplate,
    string PathAndQuery,
    Caller Caller,
    string? Token,
    Breakage Breakage,
    string? MediaType,
    byte[]? Body,
    IReadOnlyDictionary<string, string> Headers)
{
    public bool IsAuthenticatedOperation { get; init; }

    /// <summary>The request names ids of an organisation other than its caller's: a write it makes must be refused.</summary>
    public bool NamesForeignIds { get; init; }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, PathAndQuery);
        if (Token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            // As a careful client sends a large body: the gateway refuses one past its limit before a byte of it is sent.
            message.Headers.ExpectContinue = Body.Length > 64 * 1024;
            message.Content = new ByteArrayContent(Body);
            if (MediaType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            }
        }

        return message;
    }

    /// <summary>The request as a failure message shows it: enough to recognise it and replay it by its seed and index.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"#{Index} {Method} {PathAndQuery} ({Service}: {Method} {PathTemplate}) as {Caller}, {Breakage}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {name}: {value}");
        }

        if (Body is not null)
        {
            var shown = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 600));
            text.Append(CultureInfo.InvariantCulture, $"\n  {MediaType ?? "(no media type)"}, {Body.Length:N0} bytes: {shown}{(Body.Length > 600 ? "…" : "")}");
        }

        return text.ToString();
    }
}
