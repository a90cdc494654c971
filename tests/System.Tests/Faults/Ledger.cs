using System.Collections.Concurrent;
using System.Net;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// Everything the load asked and what it was answered: every answer with its time, and every write answered 2xx, so
/// that after a fault the system's state can be held against what it promised.
/// </summary>
public sealed class Ledger
{
    /// <summary>
    /// One answer: <see cref="Elapsed"/> is what the client waited, <see cref="AtGateway"/> what the gateway says it took
    /// (its <c>Server-Timing</c>; null when no answer came or it did not say).
    /// </summary>
    public sealed record Answer(string Route, string Service, int Status, string? Code, TimeSpan Elapsed, DateTimeOffset At, bool TimedOut, TimeSpan? AtGateway = null);

    public sealed record MemberWrite(Guid OrgId, Guid MemberId, string Phone, bool IsAdmin, Guid? InvitationId);

    public sealed record InvitationWrite(Guid OrgId, Guid InvitationId, string Phone);

    /// <summary>An access change asked of a member: answered 200 (<see cref="Revision"/> set), or with no answer to trust (503, a timeout).</summary>
    public sealed record AccessWrite(Guid MemberId, string Role, string? GroupId, long? Revision)
    {
        public bool Answered => Revision is not null;
    }

    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<MemberWrite> _members = new();
    private readonly ConcurrentQueue<InvitationWrite> _invitations = new();
    private readonly ConcurrentQueue<string> _codesAsked = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<AccessWrite>> _access = new();

    public IReadOnlyCollection<Answer> Answers => _answers;

    public IReadOnlyCollection<MemberWrite> Members => _members;

    public IReadOnlyCollection<InvitationWrite> Invitations => _invitations;

    /// <summary>Phones a registration was accepted (202) for: each must get its one code, exactly once.</summary>
    public IReadOnlyCollection<string> CodesAsked => _codesAsked;

    /// <summary>Each member's access changes in the order they were asked (one loop owns a member, so they never overlap).</summary>
    public IReadOnlyDictionary<Guid, ConcurrentQueue<AccessWrite>> Access => _access;

    public void Record(Answer answer) => _answers.Enqueue(answer);

    public void Registered(MemberWrite member) => _members.Enqueue(member);

    public void Invited(InvitationWrite invitation) => _invitations.Enqueue(invitation);

    public void CodeAsked(string phone) => _codesAsked.Enqueue(phone);

    public void AccessAsked(AccessWrite write) => _access.GetOrAdd(write.MemberId, _ => new ConcurrentQueue<AccessWrite>()).Enqueue(write);

    /// <summary>Answers in a window of time (a fault's), optionally of one service's routes.</summary>
    public List<Answer> Between(DateTimeOffset from, DateTimeOffset to, string? service = null) =>
        _answers.Where(a => a.At >= from && a.At <= to && (service is null || a.Service == service)).ToList();

    public string Summary(IReadOnlyCollection<Answer>? answers = null)
    {
        answers ??= _answers;
        var unavailable = answers.Where(a => a.Status == (int)HttpStatusCode.ServiceUnavailable).ToList();
        return $"{answers.Count} requests: {answers.Count(a => a.Status is >= 200 and < 300)} × 2xx, {unavailable.Count} × 503 " +
               $"(worst {(unavailable.Count == 0 ? 0 : unavailable.Max(a => a.Elapsed.TotalMilliseconds)):F0} ms), " +
               $"{answers.Count(a => a.Status is >= 400 and < 500)} × 4xx, {answers.Count(IsFailure)} failures; " +
               $"{_members.Count} members, {_invitations.Count} invitations, {_access.Values.Sum(q => q.Count(w => w.Answered))} access changes answered";
    }

    /// <summary>What no fault excuses: a 5xx other than 503 (a 500 with a stack), or no answer at all (a hang).</summary>
    public static bool IsFailure(Answer answer) =>
        answer.TimedOut || (answer.Status >= 500 && answer.Status != (int)HttpStatusCode.ServiceUnavailable) || answer.Status == 0;

    /// <summary>A 503 that is not the problem the API promises (<c>service_unavailable</c>).</summary>
    public static bool IsBareUnavailable(Answer answer) =>
        answer.Status == (int)HttpStatusCode.ServiceUnavailable && answer.Code != "service_unavailable";
}
