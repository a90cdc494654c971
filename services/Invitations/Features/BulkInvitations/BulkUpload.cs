using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using nietras.SeparatedValues;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Invitations.Features.BulkInvitations;

/// <summary>One row of an upload as read, before anything is judged.</summary>
/// <param name="Number">From 1: the first row after a CSV's header, the first element of JSON <c>rows</c>.</param>
public sealed record UploadedRow(int Number, string Phone, string? Preset, IReadOnlyList<string> Groups);

/// <summary>
/// Reads a bulk upload (docs/invitations.md#bulk-invitations): <c>text/csv</c> with a header row naming <c>phone</c>,
/// <c>preset</c> and optionally <c>groups</c> (ids or names separated by <c>;</c>), or JSON
/// <c>{"rows": [{"phone", "preset", "groupIds"?}]}</c>; at most <see cref="BulkInvitation.MaxRows"/> rows and
/// <see cref="MaxBodyBytes"/> of body.
/// </summary>
public static class BulkUpload
{
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly string[] Columns = ["phone", "preset", "groups"];

    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private sealed record JsonUpload(IReadOnlyList<JsonRow?>? Rows);

    /// <param name="GroupIds">Group ids, or names: the permission service resolves either.</param>
    private sealed record JsonRow(string? Phone, string? Preset, IReadOnlyList<string?>? GroupIds);

    /// <summary>The rows, or the problem that refuses the whole upload (400, 413, 415).</summary>
    public static async Task<(IReadOnlyList<UploadedRow>? Rows, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var isCsv = false;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !((isCsv = mediaType.MediaType == "text/csv") || mediaType.MediaType == "application/json"))
        {
            return (null, ApiProblem.Of(ErrorCodes.UnsupportedMediaType, "Send the rows as text/csv (with a header row) or as application/json {\"rows\": […]}."));
        }

        if (await ReadBodyAsync(request, cancellationToken) is not { } body)
        {
            return (null, ApiProblem.Of(ErrorCodes.PayloadTooLarge, $"A bulk upload is at most {MaxBodyBytes / 1024 / 1024} MiB."));
        }

        var (rows, error) = isCsv ? ReadCsv(body) : ReadJson(body);
        return error is not null ? (null, ApiProblem.Validation(error))
            : rows!.Count == 0 ? (null, ApiProblem.Validation("The upload has no rows."))
            : rows.Count > BulkInvitation.MaxRows ? (null, ApiProblem.Validation($"A bulk upload has at most {BulkInvitation.MaxRows:N0} rows; this one has {rows.Count:N0}."))
            : (rows, null);
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return null;
            }

            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    private static (List<UploadedRow>? Rows, string? Error) ReadJson(byte[] body)
    {
        JsonUpload? upload;
        try
        {
            upload = JsonSerializer.Deserialize<JsonUpload>(body, Json);
        }
        catch (JsonException exception)
        {
            return (null, JsonReadFailure.Describe(exception, typeof(JsonUpload), Json));
        }

        if (upload?.Rows is not { } rows)
        {
            return (null, "rows is required: {\"rows\": [{\"phone\", \"preset\", \"groupIds\"?}]}.");
        }

        var read = new List<UploadedRow>(rows.Count);
        foreach (var (row, index) in rows.Select((row, index) => (row, index)))
        {
            read.Add(new UploadedRow(
                index + 1,
                row?.Phone?.Trim() ?? "",
                Blank(row?.Preset),
                (row?.GroupIds ?? []).Select(Blank).OfType<string>().ToList()));
        }

        return (read, null);
    }

    private static (List<UploadedRow>? Rows, string? Error) ReadCsv(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return (null, "The CSV must be UTF-8.");
        }

        if (StorableText.Flaw(text) is { } flaw)
        {
            return (null, $"The CSV {flaw}.");
        }

        var lines = Csv.Records(text).Where(record => record.Exists(field => field.Trim().Length > 0)).ToList();
        if (lines.Count == 0)
        {
            return (null, "The CSV needs a header row: phone,preset,groups.");
        }

        var header = lines[0].Select(name => name.Trim().ToLowerInvariant()).ToList();
        foreach (var name in header)
        {
            if (!Columns.Contains(name))
            {
                return (null, name == "name"
                    ? "The CSV has a name column, but an invitation has no name: the invitee chooses one when registering."
                    : $"The CSV has an unknown column '{name}'; the columns are phone, preset and groups.");
            }
        }

        if (header.Distinct().Count() != header.Count || !header.Contains("phone") || !header.Contains("preset"))
        {
            return (null, "The CSV's header must name phone and preset once each, and groups at most once.");
        }

        int phone = header.IndexOf("phone"), preset = header.IndexOf("preset"), groups = header.IndexOf("groups");
        var rows = new List<UploadedRow>(lines.Count - 1);
        foreach (var (fields, index) in lines.Skip(1).Select((fields, index) => (fields, index)))
        {
            string? Field(int column) => column >= 0 && column < fields.Count ? fields[column] : null;
            rows.Add(new UploadedRow(
                index + 1,
                Field(phone)?.Trim() ?? "",
                Blank(Field(preset)),
                (Field(groups) ?? "").Split(';').Select(Blank).OfType<string>().ToList()));
        }

        return (rows, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// States the JSON upload in the operation's document: <c>Accepts</c> names one type for both media types, and the
    /// CSV's is text while the JSON's is an object of rows.
    /// </summary>
    public static Task DescribeJsonBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "rows" },
                AdditionalPropertiesAllowed = false,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["rows"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MinItems = 1,
                        MaxItems = BulkInvitation.MaxRows,
                        Items = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "phone", "preset" },
                            AdditionalPropertiesAllowed = false,
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["phone"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "E.164; spaces and dashes are ignored." },
                                ["preset"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The role preset the invitation grants, as an invitation's access names it." },
                                ["groupIds"] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.Array | JsonSchemaType.Null,
                                    Items = new OpenApiSchema { Type = JsonSchemaType.String },
                                    Description = "Groups by id or by name (staff only).",
                                },
                            },
                        },
                    },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.ConfigureJson(options);
        return options;
    }
}

/// <summary>RFC 4180 records (fields separated by commas, quoted with <c>"</c>, doubled inside), read by Sep.</summary>
internal static class Csv
{
    public static List<List<string>> Records(string text)
    {
        var records = new List<List<string>>();
        using var reader = Sep.New(',').Reader(options => options with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        foreach (var row in reader)
        {
            var record = new List<string>(row.ColCount);
            for (var column = 0; column < row.ColCount; column++)
            {
                record.Add(row[column].ToString());
            }

            records.Add(record);
        }

        return records;
    }
}
