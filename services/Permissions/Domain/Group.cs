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

    /// <summary>Access names only groups the organisation has: refuses naming the first one it does not.</summary>
    /// <param name="known">Which of <paramref name="wanted"/> the organisation has.</param>
    public static Refusal? FirstUnknown(IEnumerable<Guid> wanted, IReadOnlySet<Guid> known)
    {
        foreach (var id in wanted)
        {
            if (!known.Contains(id))
            {
                return Refusal.Invalid($"Unknown group {id}.");
            }
        }

        return null;
    }

    internal static Refusal? Create(Guid orgId, string name, DateTimeOffset now, out Group group)
    {
        group = new Group
        {
            Id = Guid.CreateVersion7(now),
            OrgId = orgId,
            CreatedAt = now,
        };
        return group.Rename(name);
    }

    /// <summary>Grants name groups by id, so a new name changes no one's access.</summary>
    internal Refusal? Rename(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            return Refusal.Invalid($"name must be 1 to {MaxNameLength} characters.");
        }

        Name = trimmed;
        NameKey = KeyOf(trimmed);
        return null;
    }
}
