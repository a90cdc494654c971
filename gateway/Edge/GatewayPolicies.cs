namespace TeamPlatform.Gateway.Edge;

public static class GatewayPolicies
{
    /// <summary>Routes anyone may call (registration, tokens, invitation preview): rate limited per client IP.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Routes that need a valid access token, checked here and again by the service.</summary>
    public const string Authenticated = "authenticated";

    public const string AnonymousRateLimit = "anonymous-per-ip";
}
