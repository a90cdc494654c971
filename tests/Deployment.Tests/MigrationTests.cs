using System.Text.RegularExpressions;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// Replicas starting together migrate under EF Core's lock, which lives in the migration's transaction
/// (docs/decisions/0015-kubernetes.md): a step that suppresses the transaction would run where another replica can slip in.
/// </summary>
public sealed partial class MigrationTests
{
    [Fact]
    public void No_migration_suppresses_its_transaction()
    {
        var migrations = Directory.EnumerateFiles(Path.Combine(Repository.Root, "services"), "*.cs", SearchOption.AllDirectories)
            .Where(file => file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(migrations);
        Assert.Empty(migrations.Where(file => SuppressesTransaction(File.ReadAllText(file))).Select(file => Path.GetRelativePath(Repository.Root, file)));
    }

    [Theory]
    [InlineData("migrationBuilder.Sql(\"CREATE INDEX CONCURRENTLY ix ON t (c)\", suppressTransaction: true);", true)]
    [InlineData("migrationBuilder.Sql(\"CREATE INDEX ix ON t (c)\");", false)]
    [InlineData("migrationBuilder.Sql(\"CREATE INDEX ix ON t (c)\", suppressTransaction: false);", false)]
    public void A_step_that_suppresses_its_transaction_is_recognised(string step, bool suppresses)
    {
        Assert.Equal(suppresses, SuppressesTransaction(step));
    }

    private static bool SuppressesTransaction(string source) => SuppressTransaction().IsMatch(source);

    [GeneratedRegex(@"suppressTransaction\s*:\s*true|SuppressTransaction\s*=\s*true")]
    private static partial Regex SuppressTransaction();
}
