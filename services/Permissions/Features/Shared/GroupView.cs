using TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Permissions.Features.Shared;

/// <summary>A group as the API shows it: listed, created and renamed alike.</summary>
public sealed record GroupView(Guid Id, string Name, DateTimeOffset CreatedAt)
{
    public static GroupView From(Group group) => new(group.Id, group.Name, group.CreatedAt);
}
