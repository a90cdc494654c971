using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure.Snapshots;

namespace TeamPlatform.Permissions.Benchmarks;

/// <summary>
/// A check answered from memory, as the check endpoint does it after reading the request: find the
/// organisation's snapshot, find the member, evaluate. One organisation of 100,000 members and 1,000 groups.
/// Goal (issue #4): ≤ 2 µs and no allocation. The explain cases record the evaluator's steps for the same questions
/// (docs/permissions.md#explain): they allocate the steps, and should stay within twice the check.
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private const int Members = 100_000;
    private const int Groups = 1_000;

    private readonly Guid _orgId = Guid.NewGuid();
    private SnapshotCache _cache = null!;
    private Guid _staffWithGroups;
    private Guid _custom;
    private Guid _admin;
    private Guid[] _twoGrantedGroups = [];
    private Guid[] _oneForeignGroup = [];
    private string _conversation = "";

    [GlobalSetup]
    public void Setup()
    {
        var groups = Enumerable.Range(0, Groups).Select(_ => Guid.NewGuid()).ToArray();
        var members = new List<MemberGrant>(Members);
        var conversations = new List<KeyValuePair<string, ConversationOverride?>>();
        for (var i = 0; i < Members; i++)
        {
            var access = (i % 10) switch
            {
                0 => Access.Manager(),
                1 or 2 or 3 or 4 => Access.Staff(groups.Skip(i % (Groups - 10)).Take(1 + (i % 10))),
                5 => Access.Staff(null),
                6 or 7 => Access.CustomSet(new PermissionSet.Builder()
                    .Scope(Permission.Broadcasts, GroupGrant.ForGroups(groups.Skip(i % (Groups - 20)).Take(20)))
                    .Scope(Permission.People, GroupGrant.All)
                    .Level(Permission.Keywords, Level.View)
                    .Toggle(Permission.ExplorerConversations, true)
                    .Build()),
                _ => Access.Nothing,
            };
            members.Add(new MemberGrant(Guid.NewGuid(), MemberStatus.Active, i < 2, access.Preset, access.Underlying, i));
        }

        _admin = members[0].MemberId;
        _staffWithGroups = members[11].MemberId; // staff over groups[11..12]
        _custom = members[16].MemberId; // broadcasts over groups[16..35], explorer_conversations
        _twoGrantedGroups = [groups[20], groups[30]];
        _oneForeignGroup = [groups[999]];
        for (var c = 0; c < 1_000; c++)
        {
            conversations.Add(KeyValuePair.Create<string, ConversationOverride?>(
                $"whatsapp:conversation-{c}",
                new ConversationOverride(VisibilityMode.Deny, members.Skip(c * 7).Take(5).Select(m => m.MemberId).ToFrozenSet())));
        }

        _conversation = "whatsapp:conversation-42";
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _cache = new SnapshotCache(new InMemorySource(new SnapshotDelta(Members, members, conversations)), TimeProvider.System, NullLogger<SnapshotCache>.Instance, meters);
        _cache.GetAsync(_orgId, 0, default).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>broadcasts send to two groups the member holds (a set of 20).</summary>
    [Benchmark(Baseline = true)]
    public bool GroupScoped_send_allowed() => Check(_custom, new CheckQuery(Permission.Broadcasts, PermissionAction.Send, _twoGrantedGroups));

    [Benchmark]
    public bool GroupScoped_view_denied() => Check(_staffWithGroups, new CheckQuery(Permission.MessageInbox, PermissionAction.View, _oneForeignGroup));

    [Benchmark]
    public bool Level_create_too_low() => Check(_custom, new CheckQuery(Permission.Keywords, PermissionAction.Create, []));

    [Benchmark]
    public bool Conversation_override() => CheckConversation(_custom);

    [Benchmark]
    public bool Admin() => Check(_admin, new CheckQuery(Permission.AdminSettings, PermissionAction.Default, []));

    /// <summary>The baseline's question explained: the same lookups, the evaluator recording every step it takes.</summary>
    [Benchmark]
    public int Explain_group_scoped_send_allowed() => Explain(_custom, new CheckQuery(Permission.Broadcasts, PermissionAction.Send, _twoGrantedGroups));

    [Benchmark]
    public int Explain_group_scoped_view_denied() => Explain(_staffWithGroups, new CheckQuery(Permission.MessageInbox, PermissionAction.View, _oneForeignGroup));

    private bool Check(Guid memberId, CheckQuery query)
    {
        var snapshot = Hit(_cache.GetAsync(_orgId, 0, default));
        var member = Hit(_cache.MemberAsync(snapshot, memberId, default));
        return Evaluator.Evaluate(member, query).Allowed;
    }

    private bool CheckConversation(Guid memberId)
    {
        var snapshot = Hit(_cache.GetAsync(_orgId, 0, default));
        var member = Hit(_cache.MemberAsync(snapshot, memberId, default));
        return Evaluator.Evaluate(member, new CheckQuery(Permission.ExplorerConversations, PermissionAction.Default, [], snapshot.Conversation(_conversation))).Allowed;
    }

    private int Explain(Guid memberId, CheckQuery query)
    {
        var snapshot = Hit(_cache.GetAsync(_orgId, 0, default));
        var member = Hit(_cache.MemberAsync(snapshot, memberId, default));
        var trace = new StepRecorder();
        Evaluator.Evaluate(member, query, ref trace);
        return trace.Steps.Length;
    }

    // A hit completes synchronously; anything else would not be the path measured here.
    private static T Hit<T>(ValueTask<T?> lookup) where T : class =>
        lookup.IsCompletedSuccessfully ? lookup.Result! : throw new InvalidOperationException("Not a cache hit.");

    private sealed class InMemorySource(SnapshotDelta delta) : ISnapshotSource
    {
        public Task<SnapshotDelta?> ChangesSinceAsync(Guid orgId, long revision, CancellationToken cancellationToken) =>
            Task.FromResult<SnapshotDelta?>(revision >= delta.Revision ? delta with { Members = [], Conversations = [] } : delta);

        public Task<Dictionary<Guid, long>> RevisionsAsync(IReadOnlyCollection<Guid> orgIds, CancellationToken cancellationToken) =>
            Task.FromResult(orgIds.ToDictionary(id => id, _ => delta.Revision));
    }
}
