using System.Net;
using System.Net.Sockets;

namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// Where a webhook may point. Outside Development a target is an <c>https</c> URL whose host is neither a local name
/// nor an address in a loopback, private, link-local, shared or otherwise non-public range, so that an admin cannot
/// make TeamPlatform call into its own network (server-side request forgery). Names are checked again at every
/// connection, on the addresses they resolve to then (<see cref="IsPublic(IPAddress)"/>).
/// </summary>
public static class WebhookTargets
{
    public static bool TryAccept(string? url, bool allowLocal, out Uri target, out string refusal)
    {
        target = null!;
        refusal = "";
        if (string.IsNullOrWhiteSpace(url) || url.Length > WebhookEndpoint.MaxUrlLength
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            refusal = $"url must be an absolute https URL of at most {WebhookEndpoint.MaxUrlLength} characters.";
            return false;
        }

        if (parsed.AbsoluteUri.Length > WebhookEndpoint.MaxUrlLength)
        {
            refusal = $"url is longer than {WebhookEndpoint.MaxUrlLength} characters once encoded.";
            return false;
        }

        if (parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0)
        {
            refusal = "url may not carry a user name, a password or a fragment.";
            return false;
        }

        target = parsed;
        if (allowLocal)
        {
            return true;
        }

        if (parsed.Scheme != Uri.UriSchemeHttps)
        {
            refusal = "url must use https.";
            return false;
        }

        string host;
        try
        {
            host = parsed.IdnHost.TrimEnd('.');
        }
        catch (UriFormatException)
        {
            refusal = "url's host is not a valid name.";
            return false;
        }

        if (IPAddress.TryParse(parsed.HostNameType == UriHostNameType.IPv6 ? host.Trim('[', ']') : host, out var address))
        {
            if (!IsPublic(address))
            {
                refusal = "url may not point at a loopback, private or link-local address.";
                return false;
            }

            return true;
        }

        if (!host.Contains('.', StringComparison.Ordinal) || IsLocalName(host))
        {
            refusal = "url must name a public host, not a local one.";
            return false;
        }

        return true;
    }

    /// <summary>Whether a connection to <paramref name="address"/> leaves the machine's and the organisation's own networks.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // "this" network
                     || b[0] == 10                               // private
                     || b[0] == 127                              // loopback
                     || (b[0] == 100 && b[1] is >= 64 and <= 127) // shared address space (carrier-grade NAT)
                     || (b[0] == 169 && b[1] == 254)             // link-local, cloud metadata
                     || (b[0] == 172 && b[1] is >= 16 and <= 31) // private
                     || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // protocol assignments, documentation
                     || (b[0] == 192 && b[1] == 168)             // private
                     || (b[0] == 198 && b[1] is 18 or 19)        // benchmarking
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100) // documentation
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113)  // documentation
                     || b[0] >= 224);                            // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address)
                     || address.Equals(IPAddress.IPv6None)
                     || address.IsIPv6LinkLocal
                     || address.IsIPv6SiteLocal
                     || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC                     // unique local
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation
                     || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)); // NAT64, reaching IPv4 through it
        }

        return false;
    }

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".cluster.local", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase);
}
