namespace TeamPlatform.Permissions.Domain;

/// <summary>A group of people (Glific "collection", Gloo "group") that group-scoped grants name.</summary>
public sealed class Group
{
    public const int MaxNameLength = 100;

    private Group()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The name compared case-insensitively: two groups of one organisation never share it.</summary>
    public string NameKey { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public static string KeyOf(string name) => name.Trim().ToUpperInvariant();

    internal static Group Create(Guid orgId, string name, DateTimeOffset now)
    {
        var group = new Group
        {
            Id = Guid.CreateVersion7(now),
            OrgId = orgId,
            CreatedAt = now,
        };
        group.Rename(name);
        return group;
    }

    /// <summary>Grants name groups by id, so a new name changes no one's access.</summary>
    internal void Rename(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            throw new DomainException(DomainErrors.Validation, $"name must be 1 to {MaxNameLength} characters.");
        }

        Name = trimmed;
        NameKey = KeyOf(trimmed);
    }
}
