using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Identity.Domain;

/// <summary>How a registration came to be; the values are <see cref="RegistrationRoutes"/>.</summary>
public enum RegistrationKind
{
    OrganisationCreation,
    SelfRegistration,
    Invitation,
}

/// <summary>The member a completed registration became, as permission decided it.</summary>
public sealed record RegisteredMember(Guid MemberId, string Status, bool IsAdmin);

/// <summary>
/// Someone who asked to join (or to create an organisation) and must prove their phone with a code.
/// It holds what the credential will be made of; once verified it remembers the member it became, so a
/// retried verification answers the same.
/// </summary>
public sealed class Registration
{
    private Registration()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public RegistrationKind Kind { get; private set; }

    public string Username { get; private set; } = "";

    public string Phone { get; private set; } = "";

    public string PasswordHash { get; private set; } = "";

    /// <summary>The invitation link's token, needed to accept the invitation at verification; dropped then (as is the hash).</summary>
    public string? InvitationToken { get; private set; }

    public Guid? InvitationId { get; private set; }

    public OtpChallenge Challenge { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>An unverified registration is forgotten after this (24 hours by default).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public Guid? MemberId { get; private set; }

    public string? MemberStatus { get; private set; }

    public bool? IsAdmin { get; private set; }

    public bool IsCompleted => CompletedAt is not null;

    public string Route => Kind switch
    {
        RegistrationKind.OrganisationCreation => RegistrationRoutes.OrganisationCreation,
        RegistrationKind.Invitation => RegistrationRoutes.Invitation,
        _ => RegistrationRoutes.SelfRegistration,
    };

    public RegisteredMember? Member => MemberId is { } id ? new RegisteredMember(id, MemberStatus!, IsAdmin ?? false) : null;

    /// <param name="invitation">The invitation's token and id, for a registration through an invitation link.</param>
    public static Registration Start(
        Guid orgId,
        RegistrationKind kind,
        string username,
        string phone,
        string passwordHash,
        (string Token, Guid Id)? invitation,
        OtpHasher hasher,
        OtpPolicy policy,
        DateTimeOffset now,
        TimeSpan lifetime,
        out string code)
    {
        if (!Domain.Username.IsValid(username))
        {
            throw new ArgumentException("The username is validated before a registration starts.", nameof(username));
        }

        if ((kind == RegistrationKind.Invitation) != invitation.HasValue)
        {
            throw new ArgumentException("A registration has an invitation exactly when it comes through one.", nameof(invitation));
        }

        return new Registration
        {
            Id = Guid.CreateVersion7(now),
            OrgId = orgId,
            Kind = kind,
            Username = username.Trim(),
            Phone = phone,
            PasswordHash = passwordHash,
            InvitationToken = invitation?.Token,
            InvitationId = invitation?.Id,
            Challenge = OtpChallenge.Issue(hasher, policy, now, out code),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public bool IsExpired(DateTimeOffset now) => !IsCompleted && now >= ExpiresAt;

    /// <summary>
    /// Checks the code. A completed registration accepts its last code again (a client retrying after a lost
    /// answer gets the same member), and nothing else.
    /// </summary>
    public Refusal? VerifyCode(OtpHasher hasher, OtpPolicy policy, string code, DateTimeOffset now)
    {
        if (IsCompleted)
        {
            return Challenge.IsCurrentCode(hasher, code)
                ? null
                : new Refusal(RefusalKind.OtpInvalid, "The code is not right.");
        }

        if (IsExpired(now))
        {
            return Expired;
        }

        return Challenge.Verify(hasher, policy, code, now);
    }

    /// <summary>
    /// Sends a new code (<paramref name="code"/>, for the message), unless the registration is over or the cooldown
    /// has not passed (<see cref="OtpChallenge.ResendWait"/> says for how long).
    /// </summary>
    public Refusal? Resend(OtpHasher hasher, OtpPolicy policy, DateTimeOffset now, out string code)
    {
        code = "";
        if (IsCompleted)
        {
            return new Refusal(RefusalKind.AlreadyVerified, "This registration is already verified.");
        }

        if (IsExpired(now))
        {
            return Expired;
        }

        return Challenge.TryResend(hasher, policy, now, out code)
            ? null
            : new Refusal(RefusalKind.TooSoon, "A new code can be sent shortly.");
    }

    public void Complete(RegisteredMember member, DateTimeOffset now)
    {
        if (IsCompleted)
        {
            return;
        }

        MemberId = member.MemberId;
        MemberStatus = member.Status;
        IsAdmin = member.IsAdmin;
        CompletedAt = now;
        // The credential has them now; a completed registration only answers retries.
        InvitationToken = null;
        PasswordHash = "";
    }

    private static Refusal Expired { get; } = new(RefusalKind.OtpExpired, "This registration has expired; start again.");
}
