using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TeamPlatform.ServiceDefaults.Security;

/// <summary>
/// Reads identity's discovery document and signing keys from identity's own address (service discovery). The document
/// names the public URLs, as clients outside must see them; a service inside reads the keys beside the document instead,
/// so that checking a token never depends on the gateway, nor on the public address being reachable from inside.
/// </summary>
public sealed class KeysFromIdentity : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private const string DiscoveryPath = ".well-known/openid-configuration";

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var configuration = OpenIdConnectConfiguration.Create(await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false));
        var keysAddress = KeysAddress(new Uri(address, UriKind.Absolute), configuration);
        configuration.JsonWebKeySet = new JsonWebKeySet(await retriever.GetDocumentAsync(keysAddress.AbsoluteUri, cancel).ConfigureAwait(false));
        foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    /// <summary>The published <c>jwks_uri</c> moved from the public issuer onto the address the document was read from.</summary>
    public static Uri KeysAddress(Uri documentAddress, OpenIdConnectConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration.JwksUri))
        {
            throw new InvalidOperationException($"The discovery document at {documentAddress} names no jwks_uri.");
        }

        var published = new Uri(configuration.JwksUri, UriKind.Absolute);
        var documentPath = documentAddress.GetLeftPart(UriPartial.Path);
        if (string.IsNullOrEmpty(configuration.Issuer) || !documentPath.EndsWith(DiscoveryPath, StringComparison.Ordinal)
            || !published.AbsoluteUri.StartsWith(configuration.Issuer, StringComparison.Ordinal))
        {
            return published;
        }

        var identityRoot = new Uri(documentPath[..^DiscoveryPath.Length], UriKind.Absolute);
        return new Uri(identityRoot, published.AbsoluteUri[configuration.Issuer.Length..]);
    }
}
