using Microsoft.EntityFrameworkCore;

namespace TeamPlatform.Console.Infrastructure.Sessions;

/// <summary>Registrations waiting for their code: kept in the database, their passwords in this instance's memory.</summary>
public sealed class PendingSignIns(IServiceScopeFactory scopes, PendingPasswords passwords, TimeProvider time)
{
    public async Task StartAsync(Guid id, string orgSlug, string phone, SignInPurpose purpose, string password)
    {
        var pending = PendingSignIn.Start(id, orgSlug, phone, purpose, time.GetUtcNow());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        db.PendingSignIns.Add(pending);
        await db.SaveChangesAsync();
        passwords.Hold(id, password, pending.ExpiresAt);
    }

    public async Task<PendingSignIn?> FindAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = time.GetUtcNow();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().PendingSignIns.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == id && p.ExpiresAt > now);
    }

    public async Task<PendingSignIn?> CodeResentAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var pending = await db.PendingSignIns.SingleOrDefaultAsync(p => p.Id == id);
        pending?.CodeResent(time.GetUtcNow());
        await db.SaveChangesAsync();
        return pending;
    }

    /// <summary>The code was verified: forgets the sign-in and hands over its password, if this instance still holds it.</summary>
    public async Task<string?> FinishAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().PendingSignIns.Where(p => p.Id == id).ExecuteDeleteAsync();
        return passwords.Take(id);
    }
}
