using System.Collections.Frozen;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.CheckPermissions;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>
/// docs/permissions.md#explain: an explanation is the evaluator's own path. Across the catalogue, every action, the presets,
/// scopes, statuses, the admin toggle and the overrides, the traced evaluation answers what the check answers, and its
/// steps say why.
/// </summary>
public sealed class ExplainTests
{
    private static readonly Guid Youth = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Choir = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid Leaders = Guid.Parse("00000000-0000-0000-0000-0000000000a3");
    private static readonly Guid MemberId = Guid.Parse("00000000-0000-0000-0000-0000000000b1");

    private static readonly IReadOnlyList<Access> Accesses =
    [
        Access.Manager(),
        Access.Staff(null),
        Access.Staff([Youth, Choir]),
        Access.Nothing,
        Access.NoAccess,
        Access.CustomSet(new PermissionSet.Builder()
            .Scope(Permission.People, GroupGrant.ForGroups([Youth]))
            .Scope(Permission.Broadcasts, GroupGrant.All)
            .Level(Permission.Keywords, Level.View)
            .Level(Permission.Series, Level.Create)
            .Toggle(Permission.ExplorerConversations, true)
            .Build()),
        Access.CustomSet(new PermissionSet.Builder()
            .Scope(Permission.People, GroupGrant.All)
            .Scope(Permission.StoriesInbox, GroupGrant.ForGroups([Choir]))
            .Toggle(Permission.EngageSettings, true)
            .Toggle(Permission.ExplorerConversations, true)
            .Build()),
        Access.CustomSet(PermissionSet.Everything),
    ];

    private static readonly Guid[][] AskedGroups = [[], [Youth], [Youth, Choir], [Youth, Leaders]];

    private static readonly ConversationOverride?[] Conversations =
    [
        null,
        new ConversationOverride(VisibilityMode.Allow, new[] { MemberId }.ToFrozenSet()),
        new ConversationOverride(VisibilityMode.Allow, FrozenSet<Guid>.Empty),
        new ConversationOverride(VisibilityMode.Deny, new[] { MemberId }.ToFrozenSet()),
        new ConversationOverride(VisibilityMode.Deny, FrozenSet<Guid>.Empty),
    ];

    /// <summary>Every question the check can be asked of every member here: 13 permissions × actions × groups × overrides × accesses × statuses × toggle.</summary>
    private static IEnumerable<(MemberGrant Member, Permission Permission, PermissionAction Action, Guid[] Groups, ConversationOverride? Conversation)> Questions()
    {
        foreach (var access in Accesses)
        {
            foreach (var status in Enum.GetValues<MemberStatus>())
            {
                foreach (var isAdmin in new[] { false, true })
                {
                    if (isAdmin && access.Preset == Preset.None)
                    {
                        continue; // not an access a member can have
                    }

                    var member = new MemberGrant(MemberId, status, isAdmin, access.Preset, access.Underlying, 1);
                    foreach (var permission in Catalogue.All)
                    {
                        var actions = Catalogue.ActionsOf(permission) is { Count: > 0 } named ? named : [PermissionAction.Default];
                        foreach (var action in actions)
                        {
                            var groups = Catalogue.KindOf(permission) == PermissionKind.GroupScoped ? AskedGroups : [[]];
                            var overrides = permission == Permission.ExplorerConversations ? Conversations : [null];
                            foreach (var asked in groups)
                            {
                                foreach (var conversation in overrides)
                                {
                                    yield return (member, permission, action, asked, conversation);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void The_traced_evaluation_answers_what_the_check_answers_for_every_question_and_reaches_every_reason()
    {
        var reasons = new HashSet<Reason>();
        var questions = 0;
        foreach (var (member, permission, action, groups, conversation) in Questions())
        {
            var checkAnswer = Evaluator.Evaluate(member, new CheckQuery(permission, action, groups, conversation));
            var trace = new StepRecorder();
            var explained = Evaluator.Evaluate(member, new CheckQuery(permission, action, groups, conversation), ref trace);

            Assert.Equal(checkAnswer, explained);
            Assert.Equal(new DecisionStep(checkAnswer), trace.Steps[^1]);
            Assert.IsType<StatusStep>(trace.Steps[0]);
            Assert.Single(trace.Steps.ToArray(), step => step is DecisionStep);
            reasons.Add(checkAnswer.Reason);
            questions++;
        }

        Assert.True(questions > 5_000, $"only {questions} questions");
        Assert.Equal(Enum.GetValues<Reason>().ToHashSet(), reasons);
    }

    [Fact]
    public void Each_reason_comes_with_the_step_that_decided_it()
    {
        foreach (var (member, permission, action, groups, conversation) in Questions())
        {
            var trace = new StepRecorder();
            var decision = Evaluator.Evaluate(member, new CheckQuery(permission, action, groups, conversation), ref trace);
            var deciding = trace.Steps[^2].Code;

            var expected = decision.Reason switch
            {
                Reason.Inactive => [StepCode.MemberInactive],
                Reason.Admin => [StepCode.AdminOn],
                Reason.NotGranted => [StepCode.ScopeOff, StepCode.Level, StepCode.ToggleOff],
                Reason.NeedsAllGroups => [StepCode.AddingPeopleNeedsAllGroups, StepCode.NoGroupAsked],
                Reason.GroupNotGranted => [StepCode.GroupsNotCovered],
                Reason.NeedsEngageSettings => [StepCode.EngageSettingsOff],
                Reason.LevelTooLow => [StepCode.Level],
                Reason.ConversationDenied => [StepCode.ConversationExcludes],
                _ => new[] { StepCode.ScopeAll, StepCode.GroupsCovered, StepCode.EngageSettingsOn, StepCode.Level, StepCode.ToggleOn,
                    StepCode.ConversationNoOverride, StepCode.ConversationAdmits },
            };
            Assert.True(expected.Contains(deciding), $"{Catalogue.NameOf(permission)} {action} answered {decision} after {deciding}");
        }
    }

    [Fact]
    public void A_group_not_granted_names_the_path_and_the_groups_missing()
    {
        var member = new MemberGrant(MemberId, MemberStatus.Active, false, Preset.Staff, Presets.Staff(new HashSet<Guid> { Youth, Choir }), 1);
        var trace = new StepRecorder();

        var decision = Evaluator.Evaluate(member, new CheckQuery(Permission.MessageInbox, PermissionAction.View, [Youth, Leaders]), ref trace);

        Assert.Equal(Decision.Deny(Reason.GroupNotGranted), decision);
        Assert.Equal(
            ["member_active", "admin_off", "role", "scope_groups", "groups_not_covered", "denied"],
            trace.Steps.ToArray().Select(s => StepCodes.NameOf(s.Code)));
        Assert.Equal([Leaders], ((GroupsAskedStep)trace.Steps[4]).Missing);
    }

    [Fact]
    public void The_sentences_name_the_member_and_the_groups_by_name()
    {
        var member = new MemberGrant(MemberId, MemberStatus.Active, false, Preset.Staff, Presets.Staff(new HashSet<Guid> { Youth, Choir }), 1);
        var check = new ParsedCheck(Permission.MessageInbox, PermissionAction.View, [Youth, Leaders], null);
        var trace = new StepRecorder();
        Evaluator.Evaluate(member, new CheckQuery(check.Permission, check.Action, check.GroupIds), ref trace);
        var sentences = new ExplainSentences("amina", check, new Dictionary<Guid, string> { [Youth] = "Youth", [Choir] = "Choir", [Leaders] = "Leaders" });

        var text = trace.Steps.ToArray().Select(sentences.Of).ToList();

        Assert.Equal("amina's role is staff: message_inbox only.", text[2]);
        Assert.Equal("amina's message_inbox grant covers the groups Choir, Youth.", text[3]);
        Assert.Equal("The check asked about the groups Youth, Leaders; the grant does not cover the group Leaders.", text[4]);
        Assert.Equal("Denied: group_not_granted.", text[5]);
    }

    [Fact]
    public void Every_step_code_is_documented_and_every_step_has_a_sentence()
    {
        var sentences = new ExplainSentences("amina", new ParsedCheck(Permission.ExplorerConversations, PermissionAction.Default, [], "c-1"), new Dictionary<Guid, string>());
        var codes = new HashSet<StepCode>();
        foreach (var (member, permission, action, groups, conversation) in Questions())
        {
            var trace = new StepRecorder();
            Evaluator.Evaluate(member, new CheckQuery(permission, action, groups, conversation), ref trace);
            foreach (var step in trace.Steps)
            {
                Assert.False(string.IsNullOrWhiteSpace(sentences.Of(step)));
                codes.Add(step.Code);
            }
        }

        Assert.Equal(Enum.GetValues<StepCode>().ToHashSet(), codes);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "TeamPlatform.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        var permissionsDoc = File.ReadAllText(Path.Combine(root.FullName, "docs", "permissions.md"));
        Assert.All(StepCodes.All, code => Assert.Contains($"| `{code}` |", permissionsDoc));
    }
}
