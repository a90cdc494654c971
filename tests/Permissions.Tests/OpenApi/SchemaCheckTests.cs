using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Permissions.Tests.OpenApi;

/// <summary>The small schema checker the conformance tests lean on: it must refuse what a strict client would.</summary>
public sealed class SchemaCheckTests
{
    private static readonly OpenApiSchema Problem = new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("not_found"), JsonValue.Create("conflict")] },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, MaxLength = 5 },
            ["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, MaxItems = 1, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
    };

    private static IReadOnlyList<string> Errors(IOpenApiSchema schema, string json) => SchemaCheck.Errors(schema, JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"code": "not_found"}""")]
    [InlineData("""{"code": "conflict", "status": 409, "detail": null, "traceId": "00-ab", "items": ["a"]}""")]
    public void A_value_the_schema_admits_passes(string json) => Assert.Empty(Errors(Problem, json));

    [Theory]
    [InlineData("""{"status": 404}""", "code is required")]
    [InlineData("""{"code": "gone"}""", "none of")]
    [InlineData("""{"code": 404}""", "String")]
    [InlineData("""{"code": "conflict", "status": 200}""", "below 400")]
    [InlineData("""{"code": "conflict", "status": 409.5}""", "Integer")]
    [InlineData("""{"code": "conflict", "detail": "too long"}""", "characters")]
    [InlineData("""{"code": "conflict", "items": ["a", "b"]}""", "2 items")]
    [InlineData("""{"code": "conflict", "items": [1]}""", "$.items[0]")]
    [InlineData("""[]""", "Array")]
    public void A_value_the_schema_refuses_is_named(string json, string error) =>
        Assert.Contains(Errors(Problem, json), e => e.Contains(error, StringComparison.Ordinal));

    [Fact]
    public void Extra_members_fail_only_where_the_schema_forbids_them()
    {
        var closed = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = false };

        Assert.Empty(Errors(Problem, """{"code": "conflict", "anything": {}}"""));
        Assert.Contains(Errors(closed, """{"anything": 1}"""), e => e.Contains("anything is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void OneOf_needs_exactly_one_match_and_allOf_every_one()
    {
        var nullOrAnything = new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchema()] };
        var both = new OpenApiSchema { AllOf = [Problem, new OpenApiSchema { Required = new HashSet<string> { "status" } }] };

        Assert.NotEmpty(Errors(nullOrAnything, "null"));
        Assert.Empty(Errors(nullOrAnything, "{}"));
        Assert.NotEmpty(Errors(both, """{"code": "conflict"}"""));
        Assert.Empty(Errors(both, """{"code": "conflict", "status": 409}"""));
    }
}
