namespace TeamPlatform.Internal;

/// <summary>The stable <c>code</c> of every problem TeamPlatform answers, and the HTTP status each one carries.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidPhone = "invalid_phone";
    public const string WeakPassword = "weak_password";
    public const string ChatbotNumber = "chatbot_number";
    public const string OtpInvalid = "otp_invalid";
    public const string OtpExpired = "otp_expired";
    public const string OtpLocked = "otp_locked";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string Escalation = "escalation";
    public const string RegistrationClosed = "registration_closed";
    public const string InvitationPhoneMismatch = "invitation_phone_mismatch";
    public const string NotFound = "not_found";
    public const string SlugTaken = "slug_taken";
    public const string PhoneTaken = "phone_taken";
    public const string AlreadyMember = "already_member";
    public const string LastAdmin = "last_admin";
    public const string InvitationUsed = "invitation_used";
    public const string InvitationNotExpired = "invitation_not_expired";
    public const string InvitationExpired = "invitation_expired";
    public const string InvitationRevoked = "invitation_revoked";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>An <c>Idempotency-Key</c> sent again with another body (docs/decisions/0304-bulk-invitations.md).</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";

    /// <summary>A webhook URL that could reach loopback or private addresses, or is not https (docs/webhooks.md#endpoints).</summary>
    public const string WebhookTargetRefused = "webhook_target_refused";

    /// <summary>An organisation holds as many webhook endpoints as it may.</summary>
    public const string WebhookLimitReached = "webhook_limit_reached";

    /// <summary>A webhook delivery whose payload is past its 7 days, or an endpoint turned off, cannot be replayed.</summary>
    public const string ReplayUnavailable = "replay_unavailable";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ServiceUnavailable = "service_unavailable";
    public const string BadGateway = "bad_gateway";
    public const string InternalError = "internal_error";

    private static readonly Dictionary<string, int> StatusByCode = new()
    {
        [ValidationFailed] = 400, [InvalidPhone] = 400, [WebhookTargetRefused] = 400, [WeakPassword] = 400, [ChatbotNumber] = 400,
        [OtpInvalid] = 400, [OtpExpired] = 400, [OtpLocked] = 400,
        [Unauthenticated] = 401,
        [Forbidden] = 403, [Escalation] = 403, [RegistrationClosed] = 403, [InvitationPhoneMismatch] = 403,
        [NotFound] = 404,
        [MethodNotAllowed] = 405,
        [SlugTaken] = 409, [PhoneTaken] = 409, [AlreadyMember] = 409, [LastAdmin] = 409, [InvitationUsed] = 409,
        [InvitationNotExpired] = 409, [Conflict] = 409, [WebhookLimitReached] = 409, [ReplayUnavailable] = 409,
        // Registering with an expired or revoked link is 410; copying an expired link is a 409 (given explicitly).
        [InvitationExpired] = 410, [InvitationRevoked] = 410,
        [PayloadTooLarge] = 413,
        [IdempotencyKeyReused] = 422,
        [UnsupportedMediaType] = 415,
        [RateLimited] = 429,
        [InternalError] = 500,
        [BadGateway] = 502,
        [ServiceUnavailable] = 503,
    };

    /// <summary>Every code a problem may carry, as the OpenAPI documents list them.</summary>
    public static IReadOnlyCollection<string> All => StatusByCode.Keys;

    public static int StatusOf(string code) => StatusByCode.GetValueOrDefault(code, 400);

    /// <summary>The code a problem gets when whoever produced it (routing, authentication, Kestrel) named none.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        502 => BadGateway,
        503 or 504 => ServiceUnavailable,
        _ => status >= 500 ? InternalError : ValidationFailed,
    };
}
