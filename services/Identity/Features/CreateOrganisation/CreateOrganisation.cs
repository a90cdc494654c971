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

namespace TeamPlatform.Identity.Features.CreateOrganisation;

public sealed record CreateOrganisationRequest(string Name, string Slug, string Username, string Phone, string Password);

internal sealed class CreateOrganisationValidator : AbstractValidator<CreateOrganisationRequest>
{
    public CreateOrganisationValidator()
    {
        RuleFor(r => r.Name).Must(Organisation.IsValidName).WithMessage($"name has 1 to {Organisation.MaxNameLength} characters.");
        RuleFor(r => r.Slug).Must(Slug.IsValid).WithMessage($"slug has {Slug.MinLength} to {Slug.MaxLength} of a-z, 0-9 and '-'.");
        RuleFor(r => r.Username).Must(Username.IsValid).WithMessage($"username has 1 to {Username.MaxLength} characters.");
        RuleFor(r => r.Phone).NotNull();
        RuleFor(r => r.Phone).Must(p => E164.TryNormalize(p, out _)).When(r => r.Phone is not null)
            .WithErrorCode(ErrorCodes.InvalidPhone).WithMessage("phone is a number in international format, such as +254711234567.");
        RuleFor(r => r.Password).NotNull();
        RuleFor(r => r.Password).Must(PasswordPolicy.IsAcceptable).When(r => r.Password is not null)
            .WithErrorCode(ErrorCodes.WeakPassword).WithMessage(PasswordPolicy.Weak.Detail);
    }
}

/// <summary>
/// docs/product.md#creating-an-organisation: the organisation is proposed and its creator gets a code; it exists once they verify
/// (<c>POST /api/registrations/{id}/verify</c>). An unverified proposal holds the slug for a day.
/// </summary>
internal static class CreateOrganisationEndpoint
{
    public static async Task<Results<Accepted<RegistrationStarted>, ProblemHttpResult>> HandleAsync(
        CreateOrganisationRequest request,
        HttpContext http,
        IdentityDbContext db,
        OtpSendLog otps,
        Passwords passwords,
        IdentityMetrics metrics,
        IOptions<OtpOptions> otpOptions,
        IOptions<RegistrationOptions> registrationOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        E164.TryNormalize(request.Phone, out var phone);
        var slug = request.Slug;
        var now = time.GetUtcNow();
        if (await db.Organisations.AnyAsync(o => o.Slug == slug && (o.VerifiedAt != null || o.ProposalExpiresAt > now), cancellationToken))
        {
            return SlugTaken();
        }

        var passwordHash = passwords.Hash(request.Password);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await otps.TryRecordAsync(phone, http.ClientIp(), cancellationToken) is { } wait)
        {
            return http.RateLimited(RateLimits.CodeCap, wait, "Too many codes were asked for.");
        }

        // An expired proposal frees its slug now rather than at the next sweep.
        await db.Registrations.Where(r => db.Organisations.Any(o => o.Id == r.OrgId && o.Slug == slug && o.VerifiedAt == null && o.ProposalExpiresAt <= now))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Organisations.Where(o => o.Slug == slug && o.VerifiedAt == null && o.ProposalExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);

        var lifetime = registrationOptions.Value.Lifetime;
        var organisation = Organisation.Propose(slug, request.Name, now, lifetime);
        var registration = Registration.Start(
            organisation.Id, RegistrationKind.OrganisationCreation, request.Username, phone, passwordHash, invitation: null,
            otpOptions.Value.CreateHasher(), otpOptions.Value.Policy, now, lifetime, out var code);
        db.Organisations.Add(organisation);
        db.Registrations.Add(registration);
        otps.Send(organisation, phone, code, OtpPurposes.Registration, registration.Challenge.ExpiresAt);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(OrganisationConfiguration.SlugIndex))
        {
            return SlugTaken();
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.RegistrationStarted(registration.Kind);
        return TypedResults.Accepted(
            $"/api/registrations/{registration.Id}", new RegistrationStarted(registration.Id, registration.Challenge.ExpiresAt));
    }

    private static ProblemHttpResult SlugTaken() => ApiProblem.Of(ErrorCodes.SlugTaken, "Another organisation uses this slug.");
}
