namespace TeamPlatform.Console.Infrastructure.Gateway;

/// <summary>
/// What a refusal means to the person who clicked, by the API's stable code. Codes left out (<c>validation_failed</c>,
/// <c>conflict</c>, <c>not_found</c>…) are shown with the API's own detail, which names what was wrong.
/// </summary>
public static class ProblemMessages
{
    public const string Fallback = "Something went wrong. Try again.";

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["invalid_phone"] = "Enter a WhatsApp number with its country code, for example +254 711 234567.",
        ["weak_password"] = "The password needs 10 to 128 characters.",
        ["chatbot_number"] = "That is the organisation's chatbot number. Use your own WhatsApp number.",
        ["otp_invalid"] = "That code is not right. Check the latest WhatsApp message and try again.",
        ["otp_expired"] = "That code has expired. Send a new one.",
        ["otp_locked"] = "Too many wrong codes. Send a new code to try again.",
        ["slug_taken"] = "Another organisation already has this address.",
        ["phone_taken"] = "Someone in this organisation already registered with this phone.",
        ["registration_closed"] = "This organisation takes new members by invitation only.",
        ["invitation_phone_mismatch"] = "This invitation is for another phone number.",
        ["invitation_used"] = "This invitation has already been used.",
        ["invitation_expired"] = "This invitation has expired. Ask the person who invited you to renew it.",
        ["invitation_revoked"] = "This invitation was withdrawn.",
        ["invitation_not_expired"] = "Only an expired invitation can be renewed.",
        ["already_member"] = "This phone already belongs to a member of the organisation.",
        ["last_admin"] = "The organisation must always keep an admin. Make someone else an admin first.",
        ["escalation"] = "You can only give access that you hold yourself, and only admins change an admin's access.",
        ["forbidden"] = "You do not have permission to do this.",
        ["rate_limited"] = "Too many attempts. Wait a little and try again.",
        ["invalid_credentials"] = "The phone number or password is not right.",
        ["pending_approval"] = "Your membership is waiting for an admin's approval.",
        ["access_blocked"] = "Your access to this organisation is blocked. Ask one of its admins.",
        ["account_locked"] = "Too many wrong passwords. Wait a few minutes and try again.",
        [ApiError.Unauthenticated] = "You have been signed out. Sign in again.",
        [ApiError.Unreachable] = "TeamPlatform cannot be reached just now. Try again in a moment.",
    };

    public static string? For(string code) => Messages.GetValueOrDefault(code);

    /// <summary>The form field a code is about, so its message appears next to that field.</summary>
    public static string? FieldOf(string code) => code switch
    {
        "invalid_phone" or "chatbot_number" or "phone_taken" or "invitation_phone_mismatch" or "already_member" => "phone",
        "weak_password" => "password",
        "slug_taken" => "slug",
        "otp_invalid" or "otp_expired" or "otp_locked" => "code",
        "webhook_target_refused" => "url",
        _ => null,
    };
}
