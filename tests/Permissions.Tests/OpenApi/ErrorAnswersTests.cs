using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.Testing.OpenApi;
using Xunit;

namespace TeamPlatform.Permissions.Tests.OpenApi;

/// <summary>The shared OpenAPI description on a bare application: what each kind of endpoint is given, and nothing more.</summary>
public sealed class ErrorAnswersTests
{
    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddApiDefaults();
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseApiDefaults();
        map(app);
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Each_kind_of_endpoint_gets_the_errors_that_follow_from_it_and_no_others()
    {
        await using var app = await StartAsync(app =>
        {
            app.MapGet("/open", () => "hello").AllowAnonymous();
            app.MapGet("/things/{id:guid}", (Guid id) => id).RequireAuthorization();
            app.MapPost("/things", (Thing thing) => thing).RequireAuthorization()
                .ProducesProblemCodes(StatusCodes.Status409Conflict, "conflict", "last_admin");
        });
        var api = await ApiDocument.ReadAsync(app.GetTestClient());

        var open = api.Operation(HttpMethod.Get, "/open");
        var one = api.Operation(HttpMethod.Get, "/things/{id}");
        var create = api.Operation(HttpMethod.Post, "/things");
        Assert.Equal(["200", "429", "503"], open.Responses!.Keys.Order(StringComparer.Ordinal));
        Assert.Null(open.Security);
        Assert.Equal(["200", "400", "401", "403", "404", "503"], one.Responses!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["200", "400", "401", "403", "409", "413", "415", "503"], create.Responses!.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("`conflict`, `last_admin`", create.Responses["409"].Description, StringComparison.Ordinal);
        Assert.Equal(
            [ApiDocumentation.BearerScheme, ApiDocumentation.OAuth2Scheme],
            create.Security!.SelectMany(requirement => requirement.Keys).Select(scheme => scheme.Reference.Id));
        Assert.Contains("Retry-After", create.Responses["503"].Headers!.Keys);
        Assert.Contains("Retry-After", open.Responses["429"].Headers!.Keys);
    }

    [Fact]
    public async Task A_bound_on_a_parameter_the_endpoint_lacks_fails_the_document()
    {
        await using var app = await StartAsync(app =>
            app.MapGet("/things", (int? page) => page).AllowAnonymous().WithQueryMaxLength("q", 10));

        var answer = await app.GetTestClient().GetAsync("/openapi/v1.json");

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, answer.StatusCode);
    }

    [Fact]
    public async Task Bounds_and_allowed_values_reach_the_parameter()
    {
        await using var app = await StartAsync(app =>
            app.MapGet("/things", (int? page, int? pageSize, string? status) => page).AllowAnonymous()
                .WithPaging(defaultPageSize: 20, maxPageSize: 100)
                .WithQueryValues("status", ["open", "shut"]));
        var api = await ApiDocument.ReadAsync(app.GetTestClient());

        var things = api.Operation(HttpMethod.Get, "/things");
        var pageSize = DocumentChecks.QueryParameter(things, "pageSize");
        Assert.Equal(("1", "100", 20), (pageSize.Minimum, pageSize.Maximum, pageSize.Default!.GetValue<int>()));
        Assert.Equal(["open", "shut"], DocumentChecks.AllowedValues(DocumentChecks.QueryParameter(things, "status")));
        Assert.Equal(JsonSchemaType.Integer, DocumentChecks.QueryParameter(things, "page").Type & JsonSchemaType.Integer);
    }

    public sealed record Thing(string Name);
}
