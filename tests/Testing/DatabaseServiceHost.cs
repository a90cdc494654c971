using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Testing;

/// <summary>
/// A service with a database of its own and an outbox in it: <see cref="ServiceHost{TEntryPoint}"/>, plus reading
/// the database as a request would and moving the fake clock without overtaking the outbox.
/// </summary>
/// <typeparam name="TDbContext">The service's database context (it also locates the service's assembly).</typeparam>
public class DatabaseServiceHost<TDbContext> : ServiceHost<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>
    /// How far <see cref="AdvancingClockUntil{T}"/> moves the clock each time: a second, well under any timeout
    /// the services set, so no timer fires much later on the fake clock than it would have on a real one.
    /// </summary>
    public static readonly TimeSpan ClockStep = TimeSpan.FromSeconds(1);

    protected DatabaseServiceHost(Dictionary<string, string?> settings)
        : base(settings)
    {
    }

    public Task<T> InDatabase<T>(Func<TDbContext, Task<T>> work) => Services.InDatabase(work);

    /// <summary>
    /// Moves the fake clock on by <paramref name="by"/> once the outbox is empty, so that whatever the service
    /// committed before the jump is published before anything the jump sets off (expiries, retries).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await OutboxDrainedAsync();
        Time.Advance(by);
    }

    /// <summary>
    /// Sends the request <paramref name="send"/> makes once the outbox is empty, and moves the fake clock on by
    /// <see cref="ClockStep"/> every 20 ms until it is answered: for calls whose retries back off on the service's
    /// clock (the HTTP resilience handler takes the host's TimeProvider).
    /// </summary>
    public async Task<T> AdvancingClockUntil<T>(Func<Task<T>> send)
    {
        await OutboxDrainedAsync();
        var request = send();
        while (!request.IsCompleted)
        {
            Time.Advance(ClockStep);
            await Task.WhenAny(request, Task.Delay(20));
        }

        return await request;
    }

    private Task<int> OutboxDrainedAsync() =>
        Eventually.Until(Services.OutboxCountAsync<TDbContext>, count => count == 0, what: "the outbox to be relayed");
}
