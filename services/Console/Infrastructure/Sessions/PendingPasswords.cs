using System.Collections.Concurrent;

namespace TeamPlatform.Console.Infrastructure.Sessions;

/// <summary>
/// The password a person typed while registering, held in this instance's memory until their code is verified (then
/// it signs them in) or the registration expires. Never written anywhere.
/// </summary>
public sealed class PendingPasswords(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, (string Password, DateTimeOffset Until)> _passwords = new();

    public void Hold(Guid pendingId, string password, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        foreach (var (id, held) in _passwords)
        {
            if (held.Until <= now)
            {
                _passwords.TryRemove(id, out _);
            }
        }

        _passwords[pendingId] = (password, until);
    }

    /// <summary>Hands the password over once and forgets it; null when it expired or another instance took it.</summary>
    public string? Take(Guid pendingId) =>
        _passwords.TryRemove(pendingId, out var held) && held.Until > time.GetUtcNow() ? held.Password : null;
}
