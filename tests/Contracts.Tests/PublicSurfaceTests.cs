using TeamPlatform.Contracts.V1;
using Xunit;
using Xunit.Abstractions;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// The published contracts only grow: a property or type of the committed baseline that is removed or retyped fails,
/// naming the line; additions pass, and <c>TP_UPDATE_CONTRACTS=1</c> records them in the baseline.
/// </summary>
public sealed class PublicSurfaceTests(ITestOutputHelper output)
{
    private const string BaselinePath = "tests/Contracts.Tests/PublicSurface.txt";
    private const string UpdateVariable = "TP_UPDATE_CONTRACTS";

    private const string Header =
        "# The public surface of TeamPlatform.Contracts: one line per type and property. Lines are only ever added;\n" +
        "# a removed or retyped line is a new namespace (V2). Rewritten by the tests with TP_UPDATE_CONTRACTS=1.\n";

    [Fact]
    public void The_contracts_keep_every_type_and_property_of_the_baseline()
    {
        var path = Repository.PathOf(BaselinePath);
        var current = PublicSurface.Of(typeof(MemberRegistered).Assembly);
        var baseline = File.Exists(path) ? PublicSurface.Parse(File.ReadAllText(path)) : [];
        var changes = PublicSurface.Compare(baseline, current);

        Assert.True(changes.Breaking.Count == 0,
            $"The contracts broke their baseline ({BaselinePath}); publish the change as a new namespace (V2) instead:\n"
            + string.Join('\n', changes.Breaking));

        if (changes.Added.Count == 0)
        {
            return;
        }
        if (Repository.AsksToUpdate(UpdateVariable))
        {
            File.WriteAllText(path, Header + PublicSurface.Text(current));
            output.WriteLine($"{BaselinePath} rewritten with {changes.Added.Count} new line(s).");
        }
        else
        {
            output.WriteLine($"The contracts grew; refresh {BaselinePath} by running the tests with {UpdateVariable}=1:\n"
                + string.Join('\n', changes.Added));
        }
    }

    [Fact]
    public void The_baseline_is_sorted_and_matches_the_contracts_line_for_line()
    {
        var committed = PublicSurface.Parse(File.ReadAllText(Repository.PathOf(BaselinePath)));

        Assert.Equal(committed.Order(StringComparer.Ordinal), committed);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberAccessChanged.Permissions: IReadOnlyDictionary<string, JsonElement>?", committed);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberRegistered.RegistrationId: Guid?", committed);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberSessionsRevoked.SessionId: string?", committed);
    }

    [Fact]
    public void The_package_holds_only_public_events_no_commands()
    {
        var types = typeof(MemberRegistered).Assembly.GetExportedTypes();

        Assert.All(types, type => Assert.Equal("TeamPlatform.Contracts.V1", type.Namespace));
        Assert.DoesNotContain(types, type => type.Name is "SendOtp" or "SendInvitation" or "CommandQueues" or "OtpPurposes");
    }

    private static readonly string[] Baseline =
    [
        "Shop.V1.Placed: record",
        "Shop.V1.Placed.OrderId: Guid",
        "Shop.V1.Placed.Total: long",
    ];

    [Fact]
    public void Added_properties_and_types_pass()
    {
        var changes = PublicSurface.Compare(Baseline, [.. Baseline, "Shop.V1.Placed.Note: string?", "Shop.V1.Shipped: record"]);

        Assert.Empty(changes.Breaking);
        Assert.Equal(["Shop.V1.Placed.Note: string?", "Shop.V1.Shipped: record"], changes.Added);
    }

    [Fact]
    public void A_removed_property_fails_naming_its_line()
    {
        var changes = PublicSurface.Compare(Baseline, ["Shop.V1.Placed: record", "Shop.V1.Placed.OrderId: Guid"]);

        Assert.Equal(["removed: Shop.V1.Placed.Total: long"], changes.Breaking);
    }

    [Fact]
    public void A_removed_type_fails_for_itself_and_each_of_its_properties()
    {
        var changes = PublicSurface.Compare(Baseline, []);

        Assert.Equal(3, changes.Breaking.Count);
        Assert.Contains("removed: Shop.V1.Placed: record", changes.Breaking);
    }

    [Theory]
    [InlineData("Shop.V1.Placed.Total: int")]
    [InlineData("Shop.V1.Placed.Total: long?")]
    [InlineData("Shop.V1.Placed.Total: string")]
    public void A_retyped_property_fails_naming_both_types(string retyped)
    {
        var changes = PublicSurface.Compare(Baseline, ["Shop.V1.Placed: record", "Shop.V1.Placed.OrderId: Guid", retyped]);

        var breaking = Assert.Single(changes.Breaking);
        Assert.StartsWith("retyped: Shop.V1.Placed.Total: long (now ", breaking, StringComparison.Ordinal);
        Assert.EndsWith($"{retyped[(retyped.IndexOf(": ", StringComparison.Ordinal) + 2)..]})", breaking, StringComparison.Ordinal);
    }

    [Fact]
    public void A_V2_namespace_is_a_new_contract_beside_V1()
    {
        var changes = PublicSurface.Compare(Baseline, [.. Baseline, "Shop.V2.Placed: record", "Shop.V2.Placed.OrderId: Guid", "Shop.V2.Placed.Total: decimal"]);

        Assert.Empty(changes.Breaking);
        Assert.Equal(3, changes.Added.Count);
    }

    [Fact]
    public void Moving_a_type_to_V2_without_keeping_V1_fails()
    {
        var changes = PublicSurface.Compare(Baseline, ["Shop.V2.Placed: record", "Shop.V2.Placed.OrderId: Guid", "Shop.V2.Placed.Total: decimal"]);

        Assert.Equal(3, changes.Breaking.Count);
        Assert.All(changes.Breaking, line => Assert.StartsWith("removed: Shop.V1.", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Nullability_is_part_of_the_type()
    {
        var lines = PublicSurface.Of(typeof(MemberRegistered).Assembly);

        Assert.Contains("TeamPlatform.Contracts.V1.MemberRegistered.InvitationId: Guid?", lines);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberApprovalRequested.Recipients: IReadOnlyList<ApprovalRecipient>", lines);
        Assert.Contains("TeamPlatform.Contracts.V1.OrganisationSettings.ChatbotPhone: string?", lines);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberStatuses.Active: string = \"active\"", lines);
        Assert.Contains("TeamPlatform.Contracts.V1.MemberRegistered: record", lines);
    }
}
