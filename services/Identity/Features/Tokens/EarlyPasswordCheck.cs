using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;
using static OpenIddict.Server.OpenIddictServerEvents;
using TeamPlatform.Internal;

namespace TeamPlatform.Identity.Features.Tokens;

/// <summary>
/// A password grant's check of the password and of the member's status, started before OpenIddict validates the
/// request so that everything else a login does runs beside the hash (docs/decisions/0104-login-beside-the-hash.md).
/// One per request (scoped).
/// <list type="bullet">
/// <item><b>Started</b> by <see cref="BeginLogin"/> (<see cref="StartAsync"/>): one read of the credential; then the
/// thread that read it computes the hash while the member's status is asked of permission. The DbContext is used
/// only for that read, which is over before anyone else may use it.</item>
/// <item><b>Awaited</b> by <see cref="PasswordGrant"/>: <see cref="Admission"/> (known before the hash starts: a
/// refusal, or the credential being checked), then, as the token response is applied, the admission's
/// <see cref="PasswordAttempt.Verdict"/>.</item>
/// <item><b>Not awaited</b> when OpenIddict refuses the request after the start (an unknown scope, say) or the grant
/// fails before it concludes: the check runs to its end and its result is dropped. It wrote nothing, and its failures
/// stay in its tasks.</item>
/// </list>
/// </summary>
internal sealed class EarlyPasswordCheck(IdentityDbContext db, Passwords passwords, PermissionClient permission, TimeProvider time)
{
    private Task<PasswordAttempt>? _admission;

    /// <summary>The check begun for this request, known before the hash starts.</summary>
    public Task<PasswordAttempt> Admission =>
        _admission ?? throw new InvalidOperationException("The password grant reached the endpoint without its check begun.");

    /// <summary>
    /// Reads the credential and starts the hash. Completes once the credential is read; whoever awaits it goes on
    /// on another thread, while this one, already running, computes the hash.
    /// </summary>
    public Task<PasswordAttempt> StartAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        if (_admission is not null)
        {
            throw new InvalidOperationException("A request has one password check.");
        }

        var admission = new TaskCompletionSource<PasswordAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        _admission = admission.Task;
        _ = CheckAsync(request, admission, cancellationToken);
        return admission.Task;
    }

    private async Task CheckAsync(OpenIddictRequest request, TaskCompletionSource<PasswordAttempt> admission, CancellationToken cancellationToken)
    {
        Credential? credential;
        try
        {
            credential = await ReadCredentialAsync(request, cancellationToken);
        }
        catch (Exception exception)
        {
            admission.SetException(exception);
            return;
        }

        if (!LoginPolicy.AdmitsToHash(credential, time.GetUtcNow(), out var refusal))
        {
            if (credential is null)
            {
                // An unknown phone is refused after as long as a wrong password would take.
                passwords.SpendTimeOnUnknown(request.Password);
            }

            admission.SetResult(PasswordAttempt.Refused(refusal));
            return;
        }

        var verdict = new TaskCompletionSource<LoginVerdict>();
        admission.SetResult(PasswordAttempt.Checking(credential, verdict.Task));
        try
        {
            verdict.SetResult(await VerdictAsync(credential, request.Password ?? "", cancellationToken));
        }
        catch (Exception exception)
        {
            verdict.SetException(exception);
        }
    }

    // Compiled once: the read comes before the hash.
    private static readonly Func<IdentityDbContext, string, string, CancellationToken, Task<Credential?>> CredentialOf =
        EF.CompileAsyncQuery((IdentityDbContext db, string slug, string phone, CancellationToken _) => (
            from c in db.Credentials
            join o in db.Organisations on c.OrgId equals o.Id
            where o.Slug == slug && o.VerifiedAt != null && c.Phone == phone && c.RemovedAt == null
            select c).SingleOrDefault());

    /// <summary>Not locked: a right password changes nothing a concurrent attempt could lose; a wrong one is counted under a lock.</summary>
    private async Task<Credential?> ReadCredentialAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        var slug = (string?)request[PasswordGrant.OrganisationParameter];
        return string.IsNullOrEmpty(slug) || !E164.TryNormalize(request.Username, out var phone)
            ? null
            : await CredentialOf(db, slug, phone, cancellationToken);
    }

    /// <summary>The hash, on the calling thread, while the member's current status travels to permission.</summary>
    private async Task<LoginVerdict> VerdictAsync(Credential credential, string password, CancellationToken cancellationToken)
    {
        // On its own thread: the HTTP client's handlers run on the caller's thread until their first wait, and would hold back the hash.
        var status = Task.Run(() => permission.StatusRefusalAsync(credential.OrgId, credential.MemberId, cancellationToken), cancellationToken);
        if (!passwords.Verify(credential.PasswordHash, password, out var rehash))
        {
            await IgnoreFailureAsync(status);
            return new LoginVerdict(false, null, null);
        }

        return new LoginVerdict(true, await status, rehash);
    }

    // A wrong password is answered as such whatever became of the status call made beside the hash.
    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception exception) when (exception is DependencyUnavailableException or HttpRequestException or OperationCanceledException)
        {
        }
    }
}

/// <summary>Refused before any hash (unknown phone, locked account), or a credential whose password is being checked.</summary>
internal sealed record PasswordAttempt(string? Refusal, Credential? Credential, Task<LoginVerdict>? Verdict)
{
    [MemberNotNullWhen(true, nameof(Refusal))]
    [MemberNotNullWhen(false, nameof(Credential), nameof(Verdict))]
    public bool IsRefused => Refusal is not null;

    public static PasswordAttempt Refused(string refusal) => new(refusal, null, null);

    public static PasswordAttempt Checking(Credential credential, Task<LoginVerdict> verdict) => new(null, credential, verdict);
}

/// <summary>Whether the password is right and, if so, why the member's status refuses tokens (null: it does not).</summary>
internal readonly record struct LoginVerdict(bool PasswordRight, string? StatusRefusal, string? Rehash);

/// <summary>
/// Starts the <see cref="EarlyPasswordCheck"/> as soon as OpenIddict has read a password grant, before OpenIddict's
/// own checks of the request, which then run beside the hash.
/// </summary>
internal sealed class BeginLogin(EarlyPasswordCheck check) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<BeginLogin>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateGrantType.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        // Only a complete password grant: OpenIddict refuses one without a username or password in the handlers that follow.
        if (context.Request.IsPasswordGrantType()
            && !string.IsNullOrEmpty(context.Request.Username)
            && !string.IsNullOrEmpty(context.Request.Password))
        {
            await check.StartAsync(context.Request, context.CancellationToken);
        }
    }
}
