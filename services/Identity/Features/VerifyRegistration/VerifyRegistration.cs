using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Identity.Features.VerifyRegistration;

public sealed record VerifyRequest(string Code);

/// <param name="Org">The organisation's slug: where the member logs in.</param>
public sealed record VerifiedMember(Guid MemberId, string Org, string Status, bool IsAdmin);

internal sealed class VerifyValidator : AbstractValidator<VerifyRequest>
{
    public VerifyValidator() => RuleFor(r => r.Code).NotNull().MaximumLength(20);
}

/// <summary>
/// The code proves the phone: the invitation is consumed (if any), permission creates the member and decides
/// admin or pending under its organisation lock, and the credential and the member's access (the copy <c>GET /api/me</c>
/// reads) are stored — all or nothing here.
/// The registration row is locked for the whole step, so concurrent verifications run one after the other;
/// the later ones find it completed and answer the same member. Both internal calls are idempotent on the
/// registration id, so a verification that failed half-way (a service down) is simply tried again.
/// </summary>
internal static class VerifyRegistrationEndpoint
{
    public static async Task<Results<Ok<VerifiedMember>, ProblemHttpResult>> HandleAsync(
        Guid id,
        VerifyRequest request,
        IdentityDbContext db,
        PermissionClient permission,
        InvitationClient invitations,
        IdentityMetrics metrics,
        IOptions<OtpOptions> otpOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var registration = await db.LockRegistrationAsync(id, cancellationToken);
        var organisation = registration is null ? null : await db.Organisations.FindAsync([registration.OrgId], cancellationToken);
        if (registration is null || organisation is null)
        {
            return ApiProblem.NotFound("The registration");
        }

        var now = time.GetUtcNow();
        var options = otpOptions.Value;
        var wasLocked = registration.Challenge.IsLocked;
        if (registration.VerifyCode(options.CreateHasher(), options.Policy, request.Code, now) is { } wrong)
        {
            await db.SaveChangesAsync(cancellationToken); // the failed try counts
            await transaction.CommitAsync(cancellationToken);
            metrics.CodeRefused(OtpPurposes.Registration, wrong, lockedNow: !wasLocked && registration.Challenge.IsLocked);
            return Problems.For(wrong);
        }

        if (registration.Member is { } done)
        {
            return TypedResults.Ok(new VerifiedMember(done.MemberId, organisation.Slug, done.Status, done.IsAdmin));
        }

        AcceptInvitationResponse? invitation = null;
        if (registration.Kind == RegistrationKind.Invitation)
        {
            var accepted = await invitations.AcceptAsync(organisation.Id, registration.InvitationToken!, registration.Phone, registration.Id, cancellationToken);
            if (accepted.Refusal is { } refusal)
            {
                return refusal.ToProblem();
            }

            invitation = accepted.Value;
        }

        var created = await permission.CreateMemberAsync(
            new RegisterMemberRequest(
                registration.Id, organisation.Id, registration.Username, registration.Phone, registration.Route,
                organisation.Settings.AutoAdminCount, invitation?.InvitationId, invitation?.InvitedBy, invitation?.Access),
            cancellationToken);
        if (created.Refusal is { } notCreated)
        {
            return notCreated.ToProblem();
        }

        var member = created.Value!;
        await db.StoreMemberAccessAsync(
            new MemberAccess
            {
                MemberId = member.MemberId,
                OrgId = organisation.Id,
                Status = member.Status,
                Role = member.Role,
                IsAdmin = member.IsAdmin,
                GroupIds = [.. member.GroupIds],
                GroupAdminOf = [.. member.GroupAdminOf ?? []],
                Permissions = member.Permissions,
                Revision = member.Revision,
            },
            cancellationToken);
        db.CompleteRegistration(registration, organisation, new RegisteredMember(member.MemberId, member.Status, member.IsAdmin), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(CredentialConfiguration.PhoneIndex))
        {
            return ApiProblem.Of(ErrorCodes.PhoneTaken, "A member of this organisation already uses this phone.");
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.CodeVerified(OtpPurposes.Registration);
        return TypedResults.Ok(new VerifiedMember(member.MemberId, organisation.Slug, member.Status, member.IsAdmin));
    }
}

internal static class RegistrationCompletion
{
    /// <summary>What a verified registration leaves: the member's credential, the answer retries get, and for a new organisation its verification.</summary>
    public static void CompleteRegistration(
        this IdentityDbContext db, Registration registration, Organisation organisation, RegisteredMember member, DateTimeOffset now)
    {
        db.Credentials.Add(Credential.Create(member.MemberId, organisation.Id, registration.Phone, registration.Username, registration.PasswordHash, now));
        registration.Complete(member, now);
        if (registration.Kind == RegistrationKind.OrganisationCreation)
        {
            organisation.Verify(now);
            db.AddOutboxEvent(new OrganisationCreated(organisation.Id, organisation.Slug, organisation.Name, organisation.Settings.ToContract(), now));
        }
    }
}
