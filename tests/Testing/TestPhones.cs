using System.Security.Cryptography;

namespace TeamPlatform.Testing;

/// <summary>Valid, distinct mobile numbers in E.164 (Kenyan 71x range), so tests never collide on a phone.</summary>
public static class TestPhones
{
    public static string New() => "+25471" + RandomNumberGenerator.GetInt32(0, 10_000_000).ToString("D7");
}
