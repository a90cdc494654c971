using System.Text;
using Microsoft.AspNetCore.Http;
using TeamPlatform.Permissions.Features.Shared;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Api;

/// <summary>The exports' CSV (docs/permissions.md#exports): RFC 4180 quoting, CRLF, a header, and typed text kept from formulas.</summary>
public sealed class CsvExportTests
{
    [Fact]
    public async Task Fields_with_a_comma_a_quote_or_a_line_break_are_quoted_and_rows_end_with_crlf()
    {
        var text = await WriteAsync(["name", "note"], [["Ama, \"the boss\"", "plain"], ["two\nlines", null]]);

        Assert.Equal("name,note\r\n\"Ama, \"\"the boss\"\"\",plain\r\n\"two\nlines\",\r\n", text);
    }

    [Fact]
    public async Task The_answer_is_text_csv_as_an_attachment()
    {
        var http = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await new CsvExport("audit.csv", ["a"], (_, _) => Task.CompletedTask).ExecuteAsync(http);

        Assert.Equal("text/csv; charset=utf-8", http.Response.ContentType);
        Assert.Equal("attachment; filename=\"audit.csv\"", http.Response.Headers.ContentDisposition.ToString());
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+254711000000", "'+254711000000")]
    [InlineData("@chiku", "'@chiku")]
    [InlineData("-dash", "'-dash")]
    [InlineData("Wanjiru", "Wanjiru")]
    [InlineData("", "")]
    public void Typed_text_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(string typed, string written) =>
        Assert.Equal(written, CsvExport.Text(typed));

    private static async Task<string> WriteAsync(string[] header, string?[][] rows)
    {
        var body = new MemoryStream();
        var http = new DefaultHttpContext { Response = { Body = body } };
        await new CsvExport("x.csv", header, async (writer, ct) =>
        {
            foreach (var row in rows)
            {
                await writer.WriteAsync(row, ct);
            }
        }).ExecuteAsync(http);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
