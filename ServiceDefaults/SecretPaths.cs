namespace TeamPlatform.ServiceDefaults;

/// <summary>
/// URL paths whose last segment is a bearer secret (an invitation token): traces record them without it.
/// Query strings are already redacted by the OpenTelemetry instrumentation.
/// </summary>
public static class SecretPaths
{
    private static readonly string[] Prefixes = ["/api/invitations/preview/", "/invite/"];

    public static bool TryRedact(string? path, out string redacted)
    {
        foreach (var prefix in Prefixes)
        {
            if (path is not null && path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                redacted = prefix + "{token}";
                return true;
            }
        }

        redacted = "";
        return false;
    }
}
