using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Invitations.Infrastructure;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.ValidateToken;

public sealed class ValidateTokenValidator : AbstractValidator<ValidateInvitationRequest>
{
    public ValidateTokenValidator()
    {
        RuleFor(r => r.OrgId).NotEmpty();
        RuleFor(r => r.Token).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Phone)
            .Must(phone => Phones.TryNormalize(phone, out _))
            .WithErrorCode(ErrorCodes.InvalidPhone)
            .WithMessage("phone must be a valid number in E.164.");
    }
}

/// <summary>
/// <c>POST /internal/invitations/validate</c> (identity, at registration with a token): may this phone register
/// with this token now? Changes nothing; the OTP proves the phone before <c>accept</c> consumes the token.
/// </summary>
public static class ValidateTokenEndpoint
{
    public static async Task<Results<Ok<ValidateInvitationResponse>, ProblemHttpResult>> HandleAsync(
        ValidateInvitationRequest request,
        InvitationDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        Phones.TryNormalize(request.Phone, out var phone);
        if (!InvitationTokens.TryHash(request.Token, out var hash))
        {
            return Problems.InvitationNotFound;
        }

        // Another organisation's token is as unknown as a made-up one.
        var invitation = await db.Invitations.AsNoTracking()
            .SingleOrDefaultAsync(i => i.TokenHash == hash && i.OrgId == request.OrgId, cancellationToken);
        if (invitation is null)
        {
            return Problems.InvitationNotFound;
        }

        if (invitation.Validate(phone, time.GetUtcNow()) is { } refusal)
        {
            return Problems.ForToken(refusal);
        }

        return TypedResults.Ok(new ValidateInvitationResponse(invitation.Id, invitation.ExpiresAt));
    }
}
