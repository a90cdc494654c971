using System.Text.Json;
using FluentValidation;
using TeamPlatform.Internal;
using Phones = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;

namespace TeamPlatform.Invitations.Features.CreateInvitation;

/// <param name="Access">The access document the new member gets (docs/permissions.md#access); the permission service judges it.</param>
public sealed record CreateInvitationRequest(string? Phone, string? Email, JsonElement? Access);

public sealed class CreateInvitationValidator : AbstractValidator<CreateInvitationRequest>
{
    public CreateInvitationValidator()
    {
        RuleFor(r => r.Phone)
            .Must(phone => Phones.TryNormalize(phone, out _))
            .WithErrorCode(ErrorCodes.InvalidPhone)
            .WithMessage("phone must be a valid number in E.164: + and digits.");
        RuleFor(r => r.Email)
            .MaximumLength(254)
            .EmailAddress()
            .When(r => !string.IsNullOrWhiteSpace(r.Email));
        RuleFor(r => r.Access)
            .Must(access => access is { ValueKind: JsonValueKind.Object })
            .WithMessage("access must be an access document: {\"role\": \"staff\", …}.");
    }
}
