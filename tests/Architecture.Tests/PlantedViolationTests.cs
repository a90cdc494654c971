using Xunit;

namespace TeamPlatform.Architecture.Tests;

/// <summary>Each rule finds the violation planted in a small made-up product, and passes the same product without it.</summary>
public sealed class PlantedViolationTests
{
    private static readonly ProjectFile Shop = Project("services/Shop/TeamPlatform.Shop.csproj", web: true, "../Contracts/TeamPlatform.Contracts.csproj");
    private static readonly ProjectFile Billing = Project("services/Billing/TeamPlatform.Billing.csproj", web: true);
    private static readonly ProjectFile Contracts = Project("services/Contracts/TeamPlatform.Contracts.csproj", web: false);
    private static readonly ProjectFile Defaults = Project("ServiceDefaults/TeamPlatform.ServiceDefaults.csproj", web: false);
    private static readonly ProjectFile[] Projects = [Shop, Billing, Contracts, Defaults];

    private static readonly SourceFile PlainOrder = new("services/Shop/Domain/Order.cs", """
        using TeamPlatform.Contracts.V1;

        namespace TeamPlatform.Shop.Domain;

        // Not Microsoft.EntityFrameworkCore: a comment says nothing.
        public sealed class Order
        {
            public string Describe() => "Microsoft.AspNetCore.Http is only a string here";
        }
        """);

    private static readonly SourceFile WebHelpers = new("ServiceDefaults/Api/Problems.cs", """
        using Microsoft.AspNetCore.Http;

        namespace TeamPlatform.ServiceDefaults.Api;

        public static class Problems;
        """);

    private static readonly SourceFile Phones = new("ServiceDefaults/Phones/Phones.cs", """
        namespace TeamPlatform.ServiceDefaults.Phones;

        public static class Phones;
        """);

    [Theory]
    [InlineData("using Microsoft.EntityFrameworkCore;\n", "Microsoft.EntityFrameworkCore")]
    [InlineData("using MassTransit;\n", "MassTransit")]
    [InlineData("using static Microsoft.AspNetCore.Http.StatusCodes;\n", "Microsoft.AspNetCore.Http.StatusCodes")]
    [InlineData("public sealed record Placed([property: global::Microsoft.EntityFrameworkCore.Owned] int Id);\n", "Microsoft.EntityFrameworkCore.Owned")]
    [InlineData("public static class Codes { public const int Conflict = StatusCodes.Status409Conflict; }\n", "StatusCodes")]
    [InlineData("using TeamPlatform.ServiceDefaults.Api;\n", "TeamPlatform.ServiceDefaults.Api, whose namespace")]
    public void A_domain_that_uses_the_web_the_database_or_the_broker_is_found(string planted, string expected)
    {
        var order = PlainOrder with { Text = planted + PlainOrder.Text };

        Assert.Empty(Rules.DomainStaysPlain([PlainOrder, WebHelpers, Phones], Projects, WebSdkImports.TypeNames));
        var violation = Assert.Single(Rules.DomainStaysPlain([order, WebHelpers, Phones], Projects, WebSdkImports.TypeNames));
        Assert.Contains(expected, violation);
    }

    [Fact]
    public void A_domain_may_use_a_namespace_of_the_product_that_stays_plain()
    {
        var order = PlainOrder with { Text = "using TeamPlatform.ServiceDefaults.Phones;\n" + PlainOrder.Text };

        Assert.Empty(Rules.DomainStaysPlain([order, WebHelpers, Phones], Projects, WebSdkImports.TypeNames));
    }

    [Fact]
    public void A_project_wide_import_into_a_domain_is_found()
    {
        var imports = new SourceFile("services/Shop/Imports.cs", "global using Microsoft.EntityFrameworkCore;\n");
        var importingShop = Shop with { ImplicitUsings = ["MassTransit"] };

        var violations = Rules.DomainStaysPlain([PlainOrder, imports], [importingShop, Billing, Contracts, Defaults], WebSdkImports.TypeNames).ToList();

        Assert.Contains(violations, v => v.Contains("TeamPlatform.Shop.csproj imports MassTransit", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Imports.cs imports Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_that_references_another_service_is_found()
    {
        Assert.Empty(Rules.ServicesMeetThroughContracts(Projects));

        var coupled = Shop with { ProjectReferences = [.. Shop.ProjectReferences, "services/Billing/TeamPlatform.Billing.csproj"] };
        var violation = Assert.Single(Rules.ServicesMeetThroughContracts([coupled, Billing, Contracts, Defaults]));
        Assert.Contains("references the service services/Billing/TeamPlatform.Billing.csproj", violation);
    }

    [Fact]
    public void A_library_that_references_a_service_is_found()
    {
        var leaking = Defaults with { ProjectReferences = ["services/Shop/TeamPlatform.Shop.csproj"] };

        Assert.Single(Rules.ServicesMeetThroughContracts([Shop, Billing, Contracts, leaking]));
    }

    [Theory]
    [InlineData("using TeamPlatform.Shop.Features.Refund;\n")]
    [InlineData("public sealed record Answer(TeamPlatform.Shop.Features.Refund.RefundView View);\n")]
    public void A_feature_that_reaches_into_another_is_found(string planted)
    {
        var refund = new SourceFile("services/Shop/Features/Refund/Refund.cs", "namespace TeamPlatform.Shop.Features.Refund;\npublic sealed record RefundView(int Id);\n");
        var shared = new SourceFile("services/Shop/Features/Shared/Money.cs", "namespace TeamPlatform.Shop.Features.Shared;\npublic sealed record Money(decimal Amount);\n");
        var problems = new SourceFile("services/Shop/Features/Problems.cs", "namespace TeamPlatform.Shop.Features;\npublic static class Problems;\n");
        var checkout = new SourceFile("services/Shop/Features/Checkout/Checkout.cs", """
            using TeamPlatform.Shop.Features.Shared;

            namespace TeamPlatform.Shop.Features.Checkout;

            public static class CheckoutEndpoint
            {
                public static Money Total() => Problems.Zero;
            }
            """);
        var program = new SourceFile("services/Shop/Program.cs", "using TeamPlatform.Shop.Features.Checkout;\nusing TeamPlatform.Shop.Features.Refund;\n");

        Assert.Empty(Rules.FeaturesStayApart([refund, shared, problems, checkout, program], Projects));
        var reaching = checkout with { Text = planted + checkout.Text };
        var violation = Assert.Single(Rules.FeaturesStayApart([refund, shared, problems, reaching, program], Projects));
        Assert.Contains("reaches into the feature Refund", violation);
    }

    [Fact]
    public void A_feature_file_in_another_features_namespace_is_found()
    {
        var misplaced = new SourceFile("services/Shop/Features/Checkout/Refunds.cs", "namespace TeamPlatform.Shop.Features.Refund;\n");
        var refund = new SourceFile("services/Shop/Features/Refund/Refund.cs", "namespace TeamPlatform.Shop.Features.Refund;\n");

        Assert.Contains(Rules.FeaturesStayApart([misplaced, refund], Projects),
            violation => violation.Contains("declares namespace TeamPlatform.Shop.Features.Refund", StringComparison.Ordinal));
    }

    [Fact]
    public void Razor_imports_of_another_feature_are_found()
    {
        var editor = new SourceFile("services/Shop/Features/Team/Editor.razor", "<p>editor</p>\n");
        var page = new SourceFile("services/Shop/Features/Invite/Invite.razor", "@* @using TeamPlatform.Shop.Features.Team *@\n<Editor />\n");
        var imports = new SourceFile("services/Shop/_Imports.razor", "@using TeamPlatform.Shop.Features.Shared\n");

        Assert.Empty(Rules.FeaturesStayApart([editor, page, imports], Projects));
        Assert.Single(Rules.FeaturesStayApart([editor, page with { Text = "@using TeamPlatform.Shop.Features.Team\n" + page.Text }, imports], Projects));
        Assert.Single(Rules.FeaturesStayApart([editor, page, imports with { Text = "@using TeamPlatform.Shop.Features.Team\n" }], Projects));
    }

    [Theory]
    [InlineData("using MassTransit;\n", "imports MassTransit")]
    [InlineData("using TeamPlatform.Internal;\n", "imports TeamPlatform.Internal")]
    [InlineData("public sealed record Sent([property: System.Text.Json.Serialization.JsonIgnore] Microsoft.Extensions.Primitives.StringValues To);\n", "uses Microsoft.Extensions.Primitives.StringValues")]
    public void Contracts_that_use_more_than_the_base_class_library_are_found(string planted, string expected)
    {
        var events = new SourceFile("services/Contracts/Events.cs", "using System.Text.Json.Serialization;\n\nnamespace TeamPlatform.Contracts.V1;\npublic sealed record Placed(Guid Id);\n");

        Assert.Empty(Rules.ContractsStandAlone([events], Contracts));
        var violation = Assert.Single(Rules.ContractsStandAlone([events with { Text = planted + events.Text }], Contracts));
        Assert.Contains(expected, violation);
    }

    [Fact]
    public void Contracts_with_a_package_or_project_reference_are_found()
    {
        var referencing = Contracts with { PackageReferences = ["MassTransit"], ProjectReferences = ["services/Internal/TeamPlatform.Internal.csproj"] };

        Assert.Equal(2, Rules.ContractsStandAlone([], referencing).Count());
    }

    [Theory]
    [InlineData("routes.MapGet(\"/\", HandleAsync)", "MapGet")]
    [InlineData("routes\n        .MapGroup(\"/refunds\")", "MapGroup")]
    public void A_feature_that_maps_its_own_route_is_found(string planted, string expected)
    {
        const string Endpoint = """
            namespace TeamPlatform.Shop.Features.Refund;

            // Mounted by ShopService: routes.MapGet("/refunds", RefundEndpoint.HandleAsync).
            public static class RefundEndpoint
            {
                public static void Mount(IEndpointRouteBuilder routes) => {0};
                public static int HandleAsync() => 0;
            }
            """;
        var table = new SourceFile("services/Shop/ShopService.cs", "public static class ShopService { static void Map(IEndpointRouteBuilder app) => app.MapGet(\"/refunds\", Handle); }\n");

        Assert.Empty(Rules.RoutesInOneTable([table, new SourceFile("services/Shop/Features/Refund/RefundEndpoint.cs", Endpoint.Replace("{0}", "Nothing()", StringComparison.Ordinal))]));
        var violation = Assert.Single(Rules.RoutesInOneTable([table, new SourceFile("services/Shop/Features/Refund/RefundEndpoint.cs", Endpoint.Replace("{0}", planted, StringComparison.Ordinal))]));
        Assert.Contains(expected, violation);
    }

    [Theory]
    [InlineData("public readonly record struct Caller(Guid OrgId, Guid MemberId);\n", "Caller")]
    [InlineData("public static class X { static void F(string caller) { } }\n", "caller")]
    [InlineData("public static class X { public const string CallerHeader = \"X\"; }\n", "CallerHeader")]
    public void Code_named_caller_is_found(string planted, string expected)
    {
        var clean = new SourceFile("services/Shop/Features/Actor.cs", """
            namespace TeamPlatform.Shop.Features;

            // The method's caller decides; the header stays "X-Internal-Caller".
            public readonly record struct Actor(Guid OrgId, Guid MemberId)
            {
                public static string Where([System.Runtime.CompilerServices.CallerMemberName] string name = "") => name + "X-Internal-Caller";
            }
            """);

        Assert.Empty(Rules.NoCallerInNames([clean]));
        var violation = Assert.Single(Rules.NoCallerInNames([clean with { Text = clean.Text + planted }]));
        Assert.EndsWith($"names {expected}", violation);
    }

    private static ProjectFile Project(string path, bool web, params string[] references) =>
        ProjectFile.Parse(path, $"""
            <Project Sdk="{(web ? "Microsoft.NET.Sdk.Web" : "Microsoft.NET.Sdk")}">
              <ItemGroup>
                {string.Concat(references.Select(r => $"<ProjectReference Include=\"{r}\" />"))}
              </ItemGroup>
            </Project>
            """);
}
