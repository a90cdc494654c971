using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>What one change of an organisation works on: its locked row, the member acting with the authority checked, the instant.</summary>
public sealed record OrganisationChange(PermissionDbContext Db, Organisation Organisation, Member Actor, DateTimeOffset Now)
{
    public Guid OrgId => Organisation.Id;
}

/// <summary>A change's answer, or why nothing of it may be saved: a rule's refusal or a problem such as "not found".</summary>
public readonly struct ChangeOutcome<T>
{
    private ChangeOutcome(T? value, ProblemHttpResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ProblemHttpResult? Problem { get; }

    public static implicit operator ChangeOutcome<T>(T value) => new(value, null);

    public static implicit operator ChangeOutcome<T>(Refusal refusal) => new(default, Problems.For(refusal));

    public static implicit operator ChangeOutcome<T>(ProblemHttpResult problem) => new(default, problem);
}

/// <summary>
/// Every write of the team's members, access, groups and visibility, in one transaction: lock the organisation's
/// row, find the actor and check their authority, apply the change, save it with its audit entries (chained to the
/// organisation's audit: docs/permissions.md#audit-chain) and outbox rows, commit, then tell this replica's snapshot the new revision. The lock serialises every change of one
/// organisation, so the rules that count (the last admin, auto-admin slots) see every change committed before
/// and revisions are taken in commit order; a refused change is rolled back whole.
/// </summary>
public sealed class OrganisationWrite(PermissionDbContext db, SnapshotCache snapshots, PermissionMetrics metrics, TimeProvider time)
{
    /// <param name="authority">
    /// The policy the actor must meet, checked before anything else is read so that a refused actor learns nothing;
    /// it is given null for an actor who is no member of the organisation, and must refuse them.
    /// </param>
    public async Task<Results<TAnswer, ProblemHttpResult>> RunAsync<T, TAnswer>(
        ClaimsPrincipal user,
        Func<Member?, Refusal?> authority,
        Func<OrganisationChange, CancellationToken, Task<ChangeOutcome<T>>> change,
        Func<T, TAnswer> answer,
        CancellationToken cancellationToken)
        where TAnswer : IResult
    {
        if (user.OrgId() is not { } orgId)
        {
            return Problems.For(authority(null)!);
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (organisation, actor) = await LockAsync(orgId, user, now, cancellationToken);
        if (authority(actor) is { } refusal)
        {
            return Problems.For(refusal);
        }

        var outcome = await change(new OrganisationChange(db, organisation!, actor!, now), cancellationToken);
        if (outcome.Problem is { } problem)
        {
            return problem;
        }

        // Each audit entry is one member's access changed (or a conversation's visibility): counted once committed. The
        // genesis entry that starts an organisation's chain is no change.
        var changes = db.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added && e.Entity.Action != AuditActions.Genesis)
            .Select(e => e.Entity.Action)
            .ToList();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var action in changes)
        {
            metrics.AccessChanged(action);
        }

        await snapshots.NotifyAsync(orgId, organisation!.Revision, cancellationToken);
        return answer(outcome.Value!);
    }

    /// <summary>
    /// A change tried exactly as <see cref="RunAsync{T, TAnswer}"/> makes it (the lock, the actor's authority, the same
    /// rules on the same state) and then rolled back whole: nothing saved, no revision taken, no audit entry, no event.
    /// The answer says what the change would have done.
    /// </summary>
    public async Task<Results<Ok<T>, ProblemHttpResult>> PreviewAsync<T>(
        ClaimsPrincipal user,
        Func<Member?, Refusal?> authority,
        Func<OrganisationChange, CancellationToken, Task<ChangeOutcome<T>>> change,
        CancellationToken cancellationToken)
    {
        if (user.OrgId() is not { } orgId)
        {
            return Problems.For(authority(null)!);
        }

        // Ended unsaved whatever happens: rolled back below, or when disposed after an exception.
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (organisation, actor) = await LockAsync(orgId, user, now, cancellationToken);
        if (authority(actor) is { } refusal)
        {
            return Problems.For(refusal);
        }

        var outcome = await change(new OrganisationChange(db, organisation!, actor!, now), cancellationToken);

        // What the change did to the tracked rows stays in memory: forget it before anything could save it.
        db.ChangeTracker.Clear();
        await transaction.RollbackAsync(cancellationToken);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value!);
    }

    /// <summary>As <see cref="RunAsync{T, TAnswer}"/>, answering <c>200</c> with the change's value.</summary>
    public Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(
        ClaimsPrincipal user,
        Func<Member?, Refusal?> authority,
        Func<OrganisationChange, CancellationToken, Task<ChangeOutcome<T>>> change,
        CancellationToken cancellationToken) =>
        RunAsync<T, Ok<T>>(user, authority, change, value => TypedResults.Ok(value), cancellationToken);

    /// <summary>
    /// Locks the organisation's row (null when it does not exist), ends the time-bound access that has ended (so that no
    /// rule reads it, the actor's own included) and finds the actor. The caller's transaction holds the lock.
    /// </summary>
    private async Task<(Organisation? Organisation, Member? Actor)> LockAsync(
        Guid orgId, ClaimsPrincipal user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.LockOrganisationAsync(orgId, cancellationToken) is not { } organisation)
        {
            return (null, null);
        }

        await db.EndDueAsync(organisation, now, cancellationToken);
        return (organisation, await db.ActorAsync(user, cancellationToken));
    }
}
