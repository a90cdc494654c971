using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using nietras.SeparatedValues;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>
/// A <c>text/csv</c> answer written as its rows are read (docs/permissions.md#exports): RFC 4180 (comma, CRLF, a field
/// with a comma, quote or line break quoted, quotes doubled) with a header row, by Sep. Nothing is held beyond one
/// row, whatever the size of the export; a failure after the first rows can only cut the answer short.
/// </summary>
public sealed class CsvExport(string fileName, IReadOnlyList<string> header, Func<CsvExport.Rows, CancellationToken, Task> write) : IResult
{
    public const string MediaType = "text/csv";

    /// <summary>The formats an export route takes in <c>format</c>.</summary>
    public static readonly IReadOnlyList<string> Formats = ["csv"];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = $"{MediaType}; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var cancellationToken = httpContext.RequestAborted;
        await using var text = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        await using (var writer = Sep.New(',').Writer(options => options with { Escape = true, WriteHeader = false }).To(text, leaveOpen: true))
        {
            var rows = new Rows(writer, header.Count);
            await rows.WriteAsync(header.ToArray(), cancellationToken);
            await write(rows, cancellationToken);
        }

        await text.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// States the CSV beside whatever else the operation's <c>200</c> answers (the JSON page of a list): response metadata
    /// keeps one type per status, so the CSV is added to the document instead.
    /// </summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = "OK" };
            operation.Responses["200"] = response;
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content[MediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180 CSV with a header row (docs/permissions.md#exports)." },
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Text a member typed (a username, a group name), kept from being read as a formula by a spreadsheet: a value that
    /// begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading <c>'</c>.
    /// </summary>
    public static string? Text(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    public static string Instant(DateTimeOffset instant) => Domain.AuditChain.Instant(instant);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Id(Guid? id) => id?.ToString("D");

    /// <summary>Writes one record at a time; a null field is empty.</summary>
    public sealed class Rows(SepWriter writer, int columns)
    {
        public async ValueTask WriteAsync(string?[] fields, CancellationToken cancellationToken)
        {
            if (fields.Length != columns)
            {
                throw new ArgumentException($"A row of {fields.Length} fields under a header of {columns}.", nameof(fields));
            }

            await using var row = writer.NewRow(cancellationToken);
            for (var i = 0; i < fields.Length; i++)
            {
                row[i].Set(fields[i] ?? "");
            }
        }
    }
}
