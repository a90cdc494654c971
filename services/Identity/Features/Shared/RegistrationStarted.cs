namespace TeamPlatform.Identity.Features.Shared;

/// <summary>The answer of every route that starts a registration: joining a team or creating an organisation.</summary>
/// <param name="ExpiresAt">When the code just sent expires.</param>
public sealed record RegistrationStarted(Guid RegistrationId, DateTimeOffset ExpiresAt);
