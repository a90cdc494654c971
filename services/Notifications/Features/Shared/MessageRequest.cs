namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>What a consumer asks for: one template, to one recipient over one channel, because of one source message.</summary>
public sealed record MessageRequest(
    Guid OrgId,
    Guid SourceMessageId,
    string Template,
    string? Language,
    IReadOnlyDictionary<string, string> Variables,
    string Channel,
    string Recipient,
    DateTimeOffset? ExpiresAt = null);
