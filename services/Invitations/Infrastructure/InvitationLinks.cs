using Microsoft.Extensions.Options;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>The link an invitee opens: <c>{publicBaseUrl}/invite/{token}</c>; its last path segment is the token.</summary>
public sealed class InvitationLinks(IOptions<PublicUrlOptions> options)
{
    private readonly string _base = options.Value.PublicBaseUrl.TrimEnd('/');

    public string For(string token) => $"{_base}/invite/{token}";
}
