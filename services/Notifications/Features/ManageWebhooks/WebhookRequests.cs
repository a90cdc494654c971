using FluentValidation;
using TeamPlatform.Notifications.Domain;

namespace TeamPlatform.Notifications.Features.ManageWebhooks;

/// <param name="Url">Where deliveries go: https outside Development, never a loopback or private address.</param>
/// <param name="EventTypes">Record names of the events wanted (<c>GET /api/webhooks/event-types</c>).</param>
/// <param name="Description">What the endpoint is for, for the admins who come after.</param>
public sealed record RegisterWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description);

/// <param name="Enabled">Turns the endpoint off or back on; absent keeps it as it is.</param>
public sealed record ChangeWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled);

public sealed class RegisterWebhookValidator : AbstractValidator<RegisterWebhookRequest>
{
    public RegisterWebhookValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(WebhookEndpoint.MaxUrlLength);
        RuleFor(r => r.EventTypes).SubscribableEventTypes();
        RuleFor(r => r.Description).MaximumLength(WebhookEndpoint.MaxDescriptionLength);
    }
}

public sealed class ChangeWebhookValidator : AbstractValidator<ChangeWebhookRequest>
{
    public ChangeWebhookValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(WebhookEndpoint.MaxUrlLength);
        RuleFor(r => r.EventTypes).SubscribableEventTypes();
        RuleFor(r => r.Description).MaximumLength(WebhookEndpoint.MaxDescriptionLength);
    }
}

internal static class EventTypeRules
{
    public static void SubscribableEventTypes<T>(this IRuleBuilderInitial<T, IReadOnlyList<string>?> rule) =>
        rule.NotEmpty().WithMessage("eventTypes lists at least one event, such as MemberRegistered.")
            .Must(types => types is null || types.Count <= WebhookEventTypes.Names.Count)
            .WithMessage($"eventTypes lists at most {WebhookEventTypes.Names.Count} events.")
            .Custom((types, context) =>
            {
                foreach (var type in types ?? [])
                {
                    if (WebhookEventTypes.NotSubscribable.Contains(type))
                    {
                        context.AddFailure($"{type} is not subscribable: it carries the phones of the admins it asks.");
                    }
                    else if (!WebhookEventTypes.IsSubscribable(type))
                    {
                        context.AddFailure($"'{type}' is not an event; GET /api/webhooks/event-types lists them.");
                    }
                }
            });
}
