using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>Time-bound access on the aggregate: what follows it, what cancels it, and the lasting-admin rule.</summary>
public sealed class TimeBoundAccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly string InTwoWeeks = Now.AddDays(14).ToString("O");
    private readonly Organisation _organisation = Organisation.Create(Guid.NewGuid(), autoAdminCount: 1, Now);
    private readonly Member _admin;
    private readonly Member _staff;

    public TimeBoundAccessTests()
    {
        _admin = Register(RegistrationRoutes.OrganisationCreation);
        _staff = Register(RegistrationRoutes.Invitation, Access.Staff(null));
    }

    [Fact]
    public void Time_bound_access_ends_in_what_the_member_held_before_it()
    {
        var change = Change(_staff, $$"""{"role": "manager", "expiresAt": "{{InTwoWeeks}}"}""");

        Assert.Equal("manager", _staff.Role);
        Assert.Equal(Now.AddDays(14), _staff.AccessExpiresAt);
        Assert.True(change.Changed);
        Assert.Equal(new MemberState(MemberStatus.Active, Access.Staff(null)), change.LapseAfter!.Then);
        Assert.False(_staff.HasLapsed(Now.AddDays(14).AddTicks(-1)));
        Assert.True(_staff.HasLapsed(Now.AddDays(14)));

        var revision = _organisation.Revision;
        var lapse = _organisation.EndTimeBoundAccess(_staff, Now.AddDays(14));

        Assert.Equal(("staff", MemberStatus.Active, (DateTimeOffset?)null), (_staff.Role, _staff.Status, _staff.AccessExpiresAt));
        Assert.Equal((revision + 1, "manager", "staff"), (lapse.Revision, lapse.Before.Role, lapse.After.Role));
        Assert.True(lapse.Changed);
    }

    [Fact]
    public void Then_names_what_follows_and_may_block()
    {
        Change(_staff, $$"""{"role": "manager", "expiresAt": "{{InTwoWeeks}}", "then": {"role": "none"} }""");

        var lapse = _organisation.EndTimeBoundAccess(_staff, Now.AddDays(14));

        Assert.Equal((MemberStatus.Active, MemberStatus.Blocked), (lapse.Before.Status, lapse.After.Status));
    }

    [Fact]
    public void Extending_keeps_what_follows_and_a_lasting_change_cancels_the_end()
    {
        Change(_staff, $$"""{"role": "manager", "expiresAt": "{{InTwoWeeks}}"}""");
        var extended = Change(_staff, $$"""{"role": "manager", "expiresAt": "{{Now.AddDays(21):O}}"}""");

        Assert.True(extended.Changed);
        Assert.Equal(extended.Before, extended.After);
        Assert.Equal(("staff", Now.AddDays(21)), (_staff.Lapse!.Then.Role, _staff.AccessExpiresAt!.Value));

        var lasting = Change(_staff, """{"role": "manager"}""");

        Assert.True(lasting.Changed);
        Assert.Null(_staff.Lapse);
        Assert.False(_staff.HasLapsed(Now.AddYears(5)));
    }

    [Theory]
    [InlineData("""{"role": "manager", "expiresAt": "2026-01-05T09:00:00Z"}""", "expiresAt must be in the future.")]
    [InlineData("""{"role": "manager", "expiresAt": "2027-01-07T09:00:00Z"}""", "expiresAt may be at most 366 days ahead.")]
    [InlineData("""{"role": "manager", "then": {"role": "staff"} }""", "then is accepted only with expiresAt.")]
    [InlineData("""{"role": "staff", "expiresAt": "2026-01-06T09:00:00Z"}""", "The access given is the access that would follow it: nothing would end at expiresAt.")]
    [InlineData("""{"role": "manager", "expiresAt": "2026-01-06T09:00:00Z", "then": {"role": "staff", "expiresAt": "2026-01-07T09:00:00Z"} }""", "then gives lasting access: it cannot have expiresAt or then of its own.")]
    [InlineData("""{"role": "manager", "expiresAt": "2026-01-06T09:00:00Z", "then": {"role": "owner"} }""", "then: role must be one of admin, manager, staff, none, custom.")]
    public void A_time_bound_change_that_cannot_mean_anything_is_refused(string document, string detail)
    {
        var refusal = _organisation.ChangeAccess(_admin, _staff, Document(document), 1, Now, out var change);

        Assert.Equal(Refusal.Invalid(detail), refusal);
        Assert.False(change.Changed);
        Assert.Null(_staff.Lapse);
    }

    [Fact]
    public void The_only_lasting_admin_cannot_be_made_temporary_but_a_second_lasting_admin_frees_them()
    {
        var temporary = $$"""{"role": "admin", "expiresAt": "{{InTwoWeeks}}", "then": {"role": "manager"} }""";

        Assert.Equal(RefusalKind.LastAdmin, _organisation.ChangeAccess(_admin, _admin, Document(temporary), 1, Now, out _)!.Kind);
        Assert.True(_admin.IsLastingAdmin);

        Change(_staff, """{"role": "admin"}""");
        Assert.Null(_organisation.ChangeAccess(_admin, _admin, Document(temporary), 2, Now, out _));
        Assert.True(_admin.IsActiveAdmin);
        Assert.False(_admin.IsLastingAdmin);
    }

    [Fact]
    public void A_temporary_admin_does_not_count_towards_the_last_admin_and_may_not_be_the_only_one_left()
    {
        Change(_staff, $$"""{"role": "admin", "expiresAt": "{{InTwoWeeks}}"}""");

        Assert.True(_staff.IsActiveAdmin);
        Assert.False(_staff.IsLastingAdmin);
        // The only lasting admin: neither demoted nor removed while the other admin's access is about to end.
        Assert.Equal(RefusalKind.LastAdmin, _organisation.ChangeAccess(_staff, _admin, Document("""{"role": "manager"}"""), 1, Now, out _)!.Kind);
        Assert.Equal(RefusalKind.LastAdmin, _organisation.Remove(_staff, _admin, 1, Now, out _)!.Kind);

        // An admin whose access ends in admin access is lasting.
        Change(_staff, $$"""{"role": "admin", "expiresAt": "{{InTwoWeeks}}", "then": {"role": "manager", "isAdmin": true} }""");
        Assert.True(_staff.IsLastingAdmin);
    }

    [Fact]
    public void A_non_admin_may_not_name_a_fallback_beyond_what_they_hold()
    {
        var lead = Register(RegistrationRoutes.Invitation, Access.CustomSet(new PermissionSet.Builder()
            .Toggle(Permission.AdminSettings, true)
            .Scope(Permission.MessageInbox, GroupGrant.All)
            .Build()));

        var refusal = _organisation.ChangeAccess(
            lead, _staff, Document($$"""{"role": "staff", "expiresAt": "{{InTwoWeeks}}", "then": {"role": "manager"} }"""), 1, Now, out _);

        Assert.Equal(RefusalKind.Escalation, refusal!.Kind);
    }

    [Fact]
    public void A_grant_answers_by_the_clock_with_what_follows_it()
    {
        var lapse = new AccessLapse(Now.AddDays(1), new MemberState(MemberStatus.Blocked, Access.NoAccess));
        var grant = MemberGrant.Of(Guid.NewGuid(), MemberStatus.Active, Access.Manager(false), 7, lapse);

        Assert.Same(grant, grant.At(Now.AddDays(1).AddTicks(-1)));
        var after = grant.At(Now.AddDays(1));
        Assert.Equal((MemberStatus.Blocked, 7L), (after.Status, after.Revision));
        Assert.False(Evaluator.Evaluate(after, new CheckQuery(Permission.Measure, PermissionAction.Default, [])).Allowed);
        Assert.True(Evaluator.Evaluate(grant, new CheckQuery(Permission.Measure, PermissionAction.Default, [])).Allowed);
    }

    [Fact]
    public void Deleting_a_group_takes_it_out_of_what_follows_too()
    {
        Assert.Null(_organisation.CreateGroup(_admin, "Youth", Now, out var group));
        var member = Register(RegistrationRoutes.Invitation, Access.Staff(new HashSet<Guid> { group.Id, Guid.NewGuid() }));
        Change(member, $$"""{"role": "manager", "expiresAt": "{{InTwoWeeks}}"}""");

        Assert.Null(_organisation.DeleteGroup(_admin, group, [member], Now, out _));

        Assert.DoesNotContain(group.Id, member.Lapse!.Then.Access.GroupIds);
    }

    private AccessChange Change(Member target, string document)
    {
        Assert.Null(_organisation.ChangeAccess(_admin, target, Document(document), 2, Now, out var change));
        Assert.True(change.Changed);
        return change;
    }

    private Member Register(string via, Access? invited = null) =>
        _organisation.Register(new MemberRegistration(Guid.NewGuid(), "member", "+254711000000", via, InvitedAccess: invited), Now);

    private static AccessDocument Document(string json) => JsonSerializer.Deserialize<AccessDocument>(json, JsonSerializerOptions.Web)!;
}
