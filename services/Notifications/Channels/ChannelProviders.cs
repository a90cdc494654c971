namespace TeamPlatform.Notifications.Channels;

/// <summary>
/// Which provider serves each channel, decided once at start from configuration: the configured provider, else
/// the development channel where it is allowed, else none (the channel is unavailable).
/// </summary>
public sealed class ChannelSelection(IReadOnlyDictionary<string, string> providerByChannel)
{
    public IReadOnlyDictionary<string, string> ProviderByChannel { get; } = providerByChannel;

    /// <summary>Whether any channel goes to the development channel (and so whether its inbox answers).</summary>
    public bool DevelopmentChannelOn => ProviderByChannel.Values.Contains(ProviderNames.Development);

    public string? ProviderFor(string channel) => ProviderByChannel.GetValueOrDefault(channel);
}

/// <summary>Resolves the provider of a channel in the current scope (the development channel writes through the attempt's DbContext).</summary>
public sealed class ChannelProviders(ChannelSelection selection, IServiceProvider services)
{
    public IChannelProvider? For(string channel) =>
        selection.ProviderFor(channel) is { } name ? services.GetRequiredKeyedService<IChannelProvider>(Key(channel, name)) : null;

    internal static string Key(string channel, string provider) => $"{channel}:{provider}";
}
