namespace TeamPlatform.Identity.Domain;

/// <summary>Which kind of rule refused; the service's one map (<c>Features/Problems.cs</c>) gives each its code and status.</summary>
public enum RefusalKind
{
    /// <summary>A value the rules cannot take (a name too long, a setting out of range).</summary>
    Invalid,

    /// <summary>A phone number that is not one in E.164.</summary>
    InvalidPhone,

    /// <summary>A password outside the lengths <see cref="PasswordPolicy"/> allows.</summary>
    WeakPassword,

    /// <summary>The organisation's own chatbot number, offered as a member's phone.</summary>
    ChatbotNumber,

    /// <summary>Registration is closed to anyone without an invitation.</summary>
    RegistrationClosed,

    /// <summary>A code that is not the one sent.</summary>
    OtpInvalid,

    /// <summary>A code, registration or reset past its time or already used.</summary>
    OtpExpired,

    /// <summary>Too many wrong codes: only a new code helps.</summary>
    OtpLocked,

    /// <summary>The registration is verified already: there is nothing left to send a code for.</summary>
    AlreadyVerified,

    /// <summary>A new code was asked for before the cooldown passed.</summary>
    TooSoon,

    /// <summary>A wrong password (answered by the token endpoint, not as a problem).</summary>
    InvalidCredentials,

    /// <summary>Too many wrong passwords in a row: the account waits out its lock.</summary>
    AccountLocked,
}

/// <summary>
/// A rule's refusal: nothing was applied, except the counting a rule does on purpose (a wrong code or password).
/// Aggregate methods and policies return it, null when the change may happen; each rule's words are stated once,
/// beside the rule.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Detail)
{
    public static Refusal Invalid(string detail) => new(RefusalKind.Invalid, detail);
}
