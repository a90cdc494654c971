using Xunit;

namespace TeamPlatform.Architecture.Tests;

/// <summary>The walls hold in the repository as it is.</summary>
public sealed class WallTests
{
    [Fact]
    public void Domain_uses_nothing_of_the_web_the_database_or_the_broker() =>
        Violations.None(Rules.DomainStaysPlain(Repository.Sources, Repository.Projects, WebSdkImports.TypeNames));

    [Fact]
    public void Services_reference_each_other_only_through_contracts_and_internal() =>
        Violations.None(Rules.ServicesMeetThroughContracts(Repository.Projects));

    [Fact]
    public void Features_do_not_reach_into_other_features() =>
        Violations.None(Rules.FeaturesStayApart(Repository.Sources, Repository.Projects));

    [Fact]
    public void Contracts_reference_nothing_but_the_base_class_library() =>
        Violations.None(Rules.ContractsStandAlone(Repository.Sources, Repository.Projects.Single(p => p.Path == "services/Contracts/TeamPlatform.Contracts.csproj")));

    [Fact]
    public void Routes_are_wired_in_each_services_table() =>
        Violations.None(Rules.RoutesInOneTable(Repository.Sources));

    [Fact]
    public void No_code_is_named_caller() =>
        Violations.None(Rules.NoCallerInNames(Repository.Sources));

    [Fact]
    public void The_rules_read_every_part_of_the_product()
    {
        // A rule over an empty list passes whatever the code does: make sure the walls are read where they stand.
        Assert.Contains(Repository.Sources, file => file.Path.StartsWith("services/Identity/Domain/", StringComparison.Ordinal));
        Assert.Contains(Repository.Sources, file => file.Path.StartsWith("services/Permissions/Features/ChangeAccess/", StringComparison.Ordinal));
        Assert.Contains(Repository.Sources, file => file.Path.StartsWith("services/Console/Features/Team/", StringComparison.Ordinal) && file.Path.EndsWith(".razor", StringComparison.Ordinal));
        Assert.Equal(5, Repository.Projects.Count(p => p.IsWebProject && p.Path.StartsWith("services/", StringComparison.Ordinal)));
        Assert.Contains("StatusCodes", WebSdkImports.TypeNames);
        Assert.Contains("TypedResults", WebSdkImports.TypeNames);
    }
}
