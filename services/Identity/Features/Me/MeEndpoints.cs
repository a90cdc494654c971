using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity.Features.Me;

/// <summary>
/// The member as the permission service shows it, plus <c>org</c> (the slug), the effective <c>permissions</c> and the
/// groups they administer (<c>groupAdminOf</c>).
/// </summary>
public sealed record MeView(
    Guid Id,
    string Username,
    string Phone,
    string Status,
    string Role,
    bool IsAdmin,
    IReadOnlyList<Guid> GroupIds,
    DateTimeOffset CreatedAt,
    string Org,
    IReadOnlyDictionary<string, JsonElement> Permissions,
    IReadOnlyList<Guid> GroupAdminOf);

public sealed record UpdateMeRequest(string? Username = null);

internal sealed class UpdateMeValidator : AbstractValidator<UpdateMeRequest>
{
    public UpdateMeValidator() =>
        RuleFor(r => r.Username).Must(Username.IsValid!).When(r => r.Username is not null)
            .WithMessage($"username has 1 to {Username.MaxLength} characters.");
}

/// <summary>
/// A member's own profile: what identity holds (username, phone) and what permission decides, read from the copy
/// permission's events keep (decision 0011).
/// </summary>
internal static class MeEndpoints
{
    public static async Task<Results<Ok<MeView>, ProblemHttpResult>> GetAsync(
        HttpContext http, IdentityDbContext db, PermissionClient permission, CancellationToken cancellationToken)
    {
        var credential = await ActorCredentialAsync(http, db, cancellationToken);
        return credential is null
            ? ApiProblem.NotFound("The member")
            : await ViewAsync(credential, db, permission, cancellationToken);
    }

    public static async Task<Results<Ok<MeView>, ProblemHttpResult>> UpdateAsync(
        UpdateMeRequest request,
        HttpContext http,
        IdentityDbContext db,
        PermissionClient permission,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var credential = await ActorCredentialAsync(http, db, cancellationToken);
        if (credential is null)
        {
            return ApiProblem.NotFound("The member");
        }

        if (request.Username is { } username && credential.Rename(username) is { } invalid)
        {
            return Problems.For(invalid);
        }

        if (db.ChangeTracker.HasChanges())
        {
            db.AddOutboxEvent(new MemberProfileChanged(credential.OrgId, credential.MemberId, credential.Username, credential.Phone, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await ViewAsync(credential, db, permission, cancellationToken);
    }

    /// <summary>The acting member's live credential; null for a removed member (their token may outlive them by minutes).</summary>
    internal static Task<Credential?> ActorCredentialAsync(HttpContext http, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var orgId = http.User.OrgId();
        return db.Credentials.FirstOrDefaultAsync(c => c.MemberId == memberId && c.OrgId == orgId && c.RemovedAt == null, cancellationToken);
    }

    private static async Task<Results<Ok<MeView>, ProblemHttpResult>> ViewAsync(
        Credential credential, IdentityDbContext db, PermissionClient permission, CancellationToken cancellationToken)
    {
        var access = await db.MemberAccess.AsNoTracking()
                         .FirstOrDefaultAsync(a => a.MemberId == credential.MemberId && a.OrgId == credential.OrgId, cancellationToken)
                     ?? await db.FetchMemberAccessAsync(permission, credential.OrgId, credential.MemberId, cancellationToken);
        var slug = await db.Organisations.Where(o => o.Id == credential.OrgId).Select(o => o.Slug).FirstAsync(cancellationToken);
        return access is null
            ? ApiProblem.NotFound("The member")
            : TypedResults.Ok(new MeView(
                credential.MemberId, credential.Username, credential.Phone, access.Status, access.Role, access.IsAdmin,
                access.GroupIds, credential.CreatedAt, slug, access.Permissions, access.GroupAdminOf));
    }
}
