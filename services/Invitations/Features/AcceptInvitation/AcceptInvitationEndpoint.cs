using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Infrastructure;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.AcceptInvitation;

public sealed class AcceptInvitationValidator : AbstractValidator<AcceptInvitationRequest>
{
    public AcceptInvitationValidator()
    {
        RuleFor(r => r.OrgId).NotEmpty();
        RuleFor(r => r.RegistrationId).NotEmpty();
        RuleFor(r => r.Token).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Phone)
            .Must(phone => Phones.TryNormalize(phone, out _))
            .WithErrorCode(ErrorCodes.InvalidPhone)
            .WithMessage("phone must be a valid number in E.164.");
    }
}

/// <summary>
/// <c>POST /internal/invitations/accept</c> (identity, once the OTP proved the phone): consumes the token.
/// Acceptances of one token queue on the invitation's row lock, so exactly one wins; the same registration
/// asking again (a retry) gets the same answer.
/// </summary>
public static class AcceptInvitationEndpoint
{
    public static async Task<Results<Ok<AcceptInvitationResponse>, ProblemHttpResult>> HandleAsync(
        AcceptInvitationRequest request,
        InvitationDbContext db,
        InvitationMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        Phones.TryNormalize(request.Phone, out var phone);
        if (!InvitationTokens.TryHash(request.Token, out var hash))
        {
            return Problems.InvitationNotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.LockByTokenAsync(hash, cancellationToken);
        if (invitation is null || invitation.OrgId != request.OrgId)
        {
            return Problems.InvitationNotFound;
        }

        var acceptedNow = invitation.AcceptedAt is null;
        if (invitation.Accept(phone, request.RegistrationId, time.GetUtcNow()) is { } refusal)
        {
            return Problems.ForToken(refusal);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (acceptedNow) // not a retry by the registration that accepted it already
        {
            metrics.Accepted();
        }

        return TypedResults.Ok(new AcceptInvitationResponse(invitation.Id, InvitationViews.ParseAccess(invitation.Access), invitation.InvitedBy));
    }
}
