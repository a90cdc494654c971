using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using TeamPlatform.Invitations.Domain;

namespace TeamPlatform.Invitations.Infrastructure;

/// <summary>
/// Invitation tokens: 256 random bits in base64url, looked up by their SHA-256 hash, and kept encrypted with
/// ASP.NET Core Data Protection (keys in this service's database) only so the same link can be copied again.
/// </summary>
public sealed class InvitationTokens(IDataProtectionProvider dataProtection)
{
    private const int TokenBytes = 32;

    /// <summary>The length of every token issued: 32 bytes in unpadded base64url.</summary>
    public const int TokenLength = 43;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("TeamPlatform.Invitations.Token.v1");

    /// <summary>A new token, and what of it is stored.</summary>
    public (string Token, StoredToken Stored) Issue()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, new StoredToken(Hash(token), _protector.Protect(token)));
    }

    /// <summary>The token a stored one protects.</summary>
    public string Reveal(string protectedToken) => _protector.Unprotect(protectedToken);

    /// <summary>
    /// The hash a presented token is looked up by. Anything that cannot be one of our tokens is refused here,
    /// before any query: it answers the same as an unknown token.
    /// </summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        if (token is null || token.Length != TokenLength || !token.All(IsBase64UrlChar))
        {
            return false;
        }

        hash = Hash(token);
        return true;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
