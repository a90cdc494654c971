using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Internal;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Notifications.Features.DevelopmentInbox;

/// <summary>
/// <c>GET /api/dev/notifications?to=</c>: what the development channel "delivered" to a phone (or email),
/// newest first, secrets included — so it exists only where the development channel is on.
/// </summary>
public static class DevelopmentInboxEndpoint
{
    public const int Limit = 100;

    public sealed record DevMessageView(
        Guid Id,
        string To,
        string Channel,
        string Provider,
        string Template,
        string Body,
        IReadOnlyDictionary<string, string> Variables,
        DateTimeOffset CreatedAt);

    public static async Task<Results<Ok<List<DevMessageView>>, ProblemHttpResult>> HandleAsync(
        string? to, ChannelSelection channels, NotificationDbContext db, CancellationToken cancellationToken)
    {
        if (!channels.DevelopmentChannelOn)
        {
            return ApiProblem.NotFound("The development channel");
        }

        if (string.IsNullOrWhiteSpace(to))
        {
            return ApiProblem.Validation("Give the recipient: ?to=+254711234567.");
        }

        if (!RecipientQuery.TryParse(to, out var recipient))
        {
            return ApiProblem.Of(ErrorCodes.InvalidPhone, "'to' must be a phone number in E.164 (the '+' may be left out) or an email address.");
        }

        var messages = await db.DevMessages.AsNoTracking()
            .Where(m => m.To == recipient)
            .OrderByDescending(m => m.Sequence)
            .Take(Limit)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(messages
            .Select(m => new DevMessageView(m.Id, m.To, m.Channel, ProviderNames.Development, m.Template, m.Body, m.Variables, m.CreatedAt))
            .ToList());
    }
}
