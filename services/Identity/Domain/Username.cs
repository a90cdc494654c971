namespace TeamPlatform.Identity.Domain;

/// <summary>The name a member shows to the team: any text of 1–60 characters once trimmed.</summary>
public static class Username
{
    public const int MaxLength = 60;

    public static bool IsValid(string? username) =>
        username is not null && username.Trim().Length is > 0 and <= MaxLength && !username.Any(char.IsControl);
}
