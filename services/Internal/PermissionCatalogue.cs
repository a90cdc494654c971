namespace TeamPlatform.Internal;

/// <summary>What identity needs to know of the permission catalogue to keep its copy of members' access (decision 0011).</summary>
public static class PermissionCatalogue
{
    /// <summary>
    /// Names what an effective-permissions map says for a stored access: the catalogue's names, kinds and the presets'
    /// grants. A release that changes any of them changes every member's map with no event, so it must change this
    /// value: permission's tests compute it and fail until it is updated here, and identity empties its copy when it
    /// starts with a fingerprint other than the one stored beside the copy.
    /// </summary>
    public const string Fingerprint = "9b881969fd335ac2";
}
