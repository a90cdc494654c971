using Xunit;

namespace TeamPlatform.Architecture.Tests;

public static class Violations
{
    /// <summary>Passes when a rule finds nothing; otherwise fails listing every violation, one a line.</summary>
    public static void None(IEnumerable<string> violations)
    {
        var found = violations.ToList();
        Assert.True(found.Count == 0, $"{found.Count} violation(s):\n{string.Join('\n', found)}");
    }
}
