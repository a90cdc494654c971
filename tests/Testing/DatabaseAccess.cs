using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamPlatform.Messaging;

namespace TeamPlatform.Testing;

/// <summary>A host's database, read and written the way a request would: a scope and a context of its own.</summary>
public static class DatabaseAccess
{
    public static async Task<T> InDatabase<TDbContext, T>(this IServiceProvider services, Func<TDbContext, Task<T>> work)
        where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TDbContext>());
    }

    /// <summary>The outbox rows not relayed yet.</summary>
    public static Task<int> OutboxCountAsync<TDbContext>(this IServiceProvider services)
        where TDbContext : DbContext =>
        services.InDatabase<TDbContext, int>(db => db.Set<OutboxMessage>().CountAsync());
}
