using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Permissions.Features.RegisterMember;

public sealed class RegisterMemberValidator : AbstractValidator<RegisterMemberRequest>
{
    public RegisterMemberValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.RegistrationId).NotEmpty();
        RuleFor(r => r.OrgId).NotEmpty();
        RuleFor(r => r.Username).NotEmpty().Must(u => u!.Trim().Length is > 0 and <= Member.MaxUsernameLength)
            .WithMessage($"username must be 1 to {Member.MaxUsernameLength} characters.");
        RuleFor(r => r.Phone).Must(p => Phones.TryNormalize(p, out _))
            .WithErrorCode(ErrorCodes.InvalidPhone).WithMessage("phone must be a valid number in E.164.");
        RuleFor(r => r.Via).Must(v => v is RegistrationRoutes.OrganisationCreation or RegistrationRoutes.SelfRegistration or RegistrationRoutes.Invitation)
            .WithMessage("via must be organisation_creation, registration or invitation.");
        RuleFor(r => r.AutoAdminCount).GreaterThanOrEqualTo(1);
        When(r => r.Via == RegistrationRoutes.Invitation, () =>
        {
            RuleFor(r => r.InvitationId).NotEmpty();
            RuleFor(r => r.Access).NotNull();
        }).Otherwise(() =>
        {
            RuleFor(r => r.InvitationId).Null().WithMessage("invitationId comes only with via = invitation.");
            RuleFor(r => r.InvitedBy).Null().WithMessage("invitedBy comes only with via = invitation.");
            RuleFor(r => r.Access).Null().WithMessage("access comes only with via = invitation.");
        });
    }
}

/// <summary>
/// <c>POST /internal/members</c> — identity, at OTP verification. Creates the member (or answers the one already
/// created for this registration), deciding admin / pending / invited under the organisation's lock.
/// </summary>
public static class RegisterMemberEndpoint
{
    public static async Task<Results<Ok<RegisterMemberResponse>, ProblemHttpResult>> HandleAsync(
        RegisterMemberRequest request,
        PermissionDbContext db,
        SnapshotCache snapshots,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Phones.TryNormalize(request.Phone, out var phone);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.EnsureOrganisationAsync(request.OrgId, request.AutoAdminCount ?? Organisation.DefaultAutoAdminCount, now, cancellationToken);
        var organisation = (await db.LockOrganisationAsync(request.OrgId, cancellationToken))!;

        var existing = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.RegistrationId == request.RegistrationId, cancellationToken);
        if (existing is not null)
        {
            return existing.OrgId == request.OrgId
                ? TypedResults.Ok(Response(existing))
                : ApiProblem.Of(ErrorCodes.Conflict, "This registration created a member of another organisation.");
        }

        if (await db.Members.AnyAsync(m => m.OrgId == request.OrgId && m.Phone == phone && m.Status != MemberStatus.Removed, cancellationToken))
        {
            return ApiProblem.Of(ErrorCodes.AlreadyMember, "A member of this organisation already has this phone.");
        }

        Access? invitedAccess = null;
        if (AccessDocument.Read(request.Access, out var document) is { } unreadable)
        {
            return Problems.For(unreadable);
        }

        if (document is not null)
        {
            if (document.Resolve(Access.Nothing, out var access) is { } invalid)
            {
                return Problems.For(invalid);
            }

            if ((await db.CheckGroupsAsync(request.OrgId, document.ReferencedGroups(), cancellationToken)
                ?? Organisation.CheckInvitedAccess(access)) is { } refusal)
            {
                return Problems.For(refusal);
            }

            invitedAccess = access;
        }

        if (request.AutoAdminCount is { } autoAdminCount)
        {
            organisation.ApplySettings(autoAdminCount, now);
        }

        var member = organisation.Register(
            new MemberRegistration(request.RegistrationId, request.Username!.Trim(), phone, request.Via!, request.InvitationId, request.InvitedBy, invitedAccess),
            now);
        db.Members.Add(member);
        db.Audit(organisation, AuditEntry.Of(AuditActions.Registered, new AccessChange(member, member.State, member.State, member.Revision), request.InvitedBy, now));
        db.AddOutboxEvent(new MemberRegistered(
            member.OrgId, member.Id, member.Username, member.Phone, MemberStatusNames.NameOf(member.Status), member.IsAdmin,
            member.Role, member.Via, member.InvitationId, member.Revision, now, request.RegistrationId));

        if (member.Status == MemberStatus.PendingApproval)
        {
            var admins = await db.Members.AsNoTracking()
                .Where(m => m.OrgId == request.OrgId && m.Status == MemberStatus.Active && m.IsAdmin)
                .OrderBy(m => m.CreatedAt)
                .Select(m => new ApprovalRecipient(m.Id, m.Phone))
                .ToListAsync(cancellationToken);
            db.AddOutboxEvent(new MemberApprovalRequested(member.OrgId, member.Id, member.Username, admins, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.NotifyAsync(member.OrgId, member.Revision, cancellationToken);
        return TypedResults.Ok(Response(member));
    }

    private static RegisterMemberResponse Response(Member member)
    {
        var access = EffectiveAccess.Of(member);
        return new(member.Id, MemberStatusNames.NameOf(member.Status), member.IsAdmin, member.Role, member.Revision, access.GroupIds, access.Permissions, access.GroupAdminOf);
    }
}
