using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Features.Shared;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.ServiceDefaults.Api;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Identity.Features.Register;

public sealed record RegisterRequest(string Username, string Phone, string Password, string? InvitationToken);

internal sealed class RegisterValidator : AbstractValidator<RegisterRequest>
{
    public RegisterValidator()
    {
        RuleFor(r => r.Username).Must(Username.IsValid).WithMessage($"username has 1 to {Username.MaxLength} characters.");
        RuleFor(r => r.Phone).NotNull();
        RuleFor(r => r.Phone).Must(p => E164.TryNormalize(p, out _)).When(r => r.Phone is not null)
            .WithErrorCode(ErrorCodes.InvalidPhone).WithMessage("phone is a number in international format, such as +254711234567.");
        RuleFor(r => r.Password).NotNull();
        RuleFor(r => r.Password).Must(PasswordPolicy.IsAcceptable).When(r => r.Password is not null)
            .WithErrorCode(ErrorCodes.WeakPassword).WithMessage(PasswordPolicy.Weak.Detail);
        RuleFor(r => r.InvitationToken).Length(1, 200).When(r => r.InvitationToken is not null);
    }
}

/// <summary>Someone asks to join an organisation and gets a code (docs/product.md#joining; with a token, docs/product.md#invitations).</summary>
internal static class RegisterEndpoint
{
    public static async Task<Results<Accepted<RegistrationStarted>, ProblemHttpResult>> HandleAsync(
        string slug,
        RegisterRequest request,
        HttpContext http,
        IdentityDbContext db,
        InvitationClient invitations,
        OtpSendLog otps,
        Passwords passwords,
        IdentityMetrics metrics,
        IOptions<OtpOptions> otpOptions,
        IOptions<RegistrationOptions> registrationOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == slug && o.VerifiedAt != null, cancellationToken);
        if (organisation is null)
        {
            return ApiProblem.NotFound("The organisation");
        }

        E164.TryNormalize(request.Phone, out var phone);
        var invited = request.InvitationToken is not null;
        if (organisation.AllowsPhone(phone) is { } chatbot)
        {
            return Problems.For(chatbot);
        }

        if (organisation.AllowsSelfRegistration(invited) is { } closed)
        {
            return Problems.For(closed);
        }

        // Someone registering through a link hears first what became of the link (used, revoked, expired).
        (string Token, Guid Id)? invitation = null;
        if (request.InvitationToken is { } token)
        {
            var validated = await invitations.ValidateAsync(organisation.Id, token, phone, cancellationToken);
            if (validated.Refusal is { } refusal)
            {
                return refusal.ToProblem();
            }

            invitation = (token, validated.Value!.InvitationId);
        }

        if (await db.Credentials.AnyAsync(c => c.OrgId == organisation.Id && c.Phone == phone && c.RemovedAt == null, cancellationToken))
        {
            return ApiProblem.Of(ErrorCodes.PhoneTaken, "A member of this organisation already uses this phone.");
        }

        var passwordHash = passwords.Hash(request.Password);
        var now = time.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await otps.TryRecordAsync(phone, http.ClientIp(), cancellationToken) is { } wait)
        {
            return http.RateLimited(RateLimits.CodeCap, wait, "Too many codes were asked for.");
        }

        var registration = Registration.Start(
            organisation.Id, invited ? RegistrationKind.Invitation : RegistrationKind.SelfRegistration, request.Username, phone, passwordHash,
            invitation, otpOptions.Value.CreateHasher(), otpOptions.Value.Policy, now, registrationOptions.Value.Lifetime, out var code);
        db.Registrations.Add(registration);
        otps.Send(organisation, phone, code, OtpPurposes.Registration, registration.Challenge.ExpiresAt);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.RegistrationStarted(registration.Kind);

        return TypedResults.Accepted(
            $"/api/registrations/{registration.Id}", new RegistrationStarted(registration.Id, registration.Challenge.ExpiresAt));
    }
}
