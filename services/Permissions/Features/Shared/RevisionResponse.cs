namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>The answer of a write that has nothing to show but the organisation's revision it produced.</summary>
public sealed record RevisionResponse(long Revision);
