using System.Text.Json;
using TeamPlatform.Console.Features.Audit;
using Xunit;

namespace TeamPlatform.Console.Tests.Audit;

public sealed class AuditSummaryTests
{
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Choir = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private static readonly Dictionary<Guid, string> Names = new() { [Youth] = "Youth", [Choir] = "Choir" };

    private static JsonElement State(object state) => JsonSerializer.SerializeToElement(state, JsonSerializerOptions.Web);

    [Fact]
    public void Appointing_a_group_admin_reads_as_the_groups_they_administer_by_name()
    {
        var before = State(new { status = "active", role = "staff", isAdmin = false, access = new { role = "staff", isAdmin = false, groupIds = new[] { Youth } } });
        var after = State(new
        {
            status = "active", role = "staff", isAdmin = false,
            access = new { role = "staff", isAdmin = false, groupIds = new[] { Youth }, groupAdminOf = new[] { Youth, Choir } },
        });

        Assert.Equal("Active · Staff", AuditSummary.Of(before, id => Names[id]));
        Assert.Equal("Active · Staff · Group admin of Choir, Youth", AuditSummary.Of(after, id => Names[id]));
        Assert.Equal([Youth, Choir], AuditSummary.GroupsAdministered(after));
        Assert.Empty(AuditSummary.GroupsAdministered(before));
    }

    [Fact]
    public void Facts_of_the_other_services_and_absent_states_read_as_before()
    {
        var invited = State(new { phone = "+2547******78" });
        var revoked = State(new { reason = "password_changed" });

        Assert.Equal("+2547******78", AuditSummary.Of(invited, _ => "unused"));
        Assert.Equal("password changed", AuditSummary.Of(revoked, _ => "unused"));
        Assert.Equal("", AuditSummary.Of(null, _ => "unused"));
        Assert.Empty(AuditSummary.GroupsAdministered(invited));
        Assert.Equal("Waiting for approval · Admin", AuditSummary.Of(State(new { status = "pending_approval", role = "custom", isAdmin = true }), _ => "unused"));
    }
}
