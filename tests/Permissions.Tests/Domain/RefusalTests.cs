using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>The service's one map from a rule's refusal to the problem the API answers.</summary>
public sealed class RefusalTests
{
    [Theory]
    [InlineData(RefusalKind.Invalid, "validation_failed", 400)]
    [InlineData(RefusalKind.Forbidden, "forbidden", 403)]
    [InlineData(RefusalKind.Escalation, "escalation", 403)]
    [InlineData(RefusalKind.LastAdmin, "last_admin", 409)]
    [InlineData(RefusalKind.Removed, "conflict", 409)]
    public void Each_kind_of_refusal_answers_its_code_and_status_with_the_rules_words(RefusalKind kind, string code, int status)
    {
        var problem = Problems.For(new Refusal(kind, "The rule's words."));

        Assert.Equal(status, problem.StatusCode);
        Assert.Equal(code, problem.ProblemDetails.Extensions["code"]);
        Assert.Equal("The rule's words.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public void Every_kind_of_refusal_has_a_problem()
    {
        foreach (var kind in Enum.GetValues<RefusalKind>())
        {
            Assert.NotNull(Problems.For(new Refusal(kind, "Refused.")).ProblemDetails.Extensions["code"]);
        }
    }
}
