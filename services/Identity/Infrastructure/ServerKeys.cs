using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace TeamPlatform.Identity.Infrastructure;

/// <summary>
/// The keys tokens are signed and encrypted with. They are generated once, kept in the identity database and
/// loaded by every replica at start, so tokens survive restarts and any replica validates any other's
/// (see docs/decisions/0101-server-keys-in-the-database.md).
/// </summary>
public sealed class ServerKeys
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    private IReadOnlyList<ServerKey>? _keys;

    public IReadOnlyList<ServerKey> Keys => _keys
        ?? throw new InvalidOperationException("The server keys are loaded when the service starts, after its migrations.");

    internal void Load(IReadOnlyList<ServerKey> keys) => _keys = keys;

    public static ServerKey NewSigningKey(DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        return new ServerKey { Id = NewId("sig", now), Use = Signing, Material = rsa.ExportPkcs8PrivateKey(), CreatedAt = now };
    }

    public static ServerKey NewEncryptionKey(DateTimeOffset now) =>
        new() { Id = NewId("enc", now), Use = Encryption, Material = RandomNumberGenerator.GetBytes(32), CreatedAt = now };

    private static string NewId(string use, DateTimeOffset now) =>
        $"{use}-{now:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}

/// <summary>Creates the keys on the very first start (one replica wins, under a lock) and loads them on every start.</summary>
internal sealed class ServerKeysInitializer(IServiceScopeFactory scopes, ServerKeys keys, TimeProvider time) : IHostedLifecycleService
{
    // Any constant that no other advisory lock of this database uses.
    private const long LockId = 0x5e_4b_e7_5e;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockId})", cancellationToken);

        var stored = await db.ServerKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var (use, create) in new (string, Func<DateTimeOffset, ServerKey>)[]
                 {
                     (ServerKeys.Signing, ServerKeys.NewSigningKey),
                     (ServerKeys.Encryption, ServerKeys.NewEncryptionKey),
                 })
        {
            if (!stored.Any(k => k.Use == use))
            {
                var key = create(now);
                db.ServerKeys.Add(key);
                stored.Add(key);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        keys.Load(stored);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Hands the stored keys to OpenIddict: the newest signing key signs, every signing key is published.</summary>
internal sealed class ServerKeysOptions(ServerKeys keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in keys.Keys.OrderByDescending(k => k.CreatedAt))
        {
            if (key.Use == ServerKeys.Signing)
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(key.Material, out _);
                options.SigningCredentials.Add(new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Id }, SecurityAlgorithms.RsaSha256));
            }
            else if (key.Use == ServerKeys.Encryption)
            {
                options.EncryptionCredentials.Add(new EncryptingCredentials(
                    new SymmetricSecurityKey(key.Material) { KeyId = key.Id },
                    SecurityAlgorithms.Aes256KW,
                    SecurityAlgorithms.Aes256CbcHmacSha512));
            }
        }
    }
}
