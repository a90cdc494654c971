namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// One message to one recipient over one channel: an entry of the delivery log. Its body and variables are
/// kept without secrets; the secrets (an OTP's code, an invitation's link) are held only as an opaque
/// protected value while attempts may still need them, and forgotten once the message is settled.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    /// <summary>The command or event this message answers; a redelivery of it finds the entry and sends nothing.</summary>
    public Guid SourceMessageId { get; private set; }

    /// <summary>The WhatsApp entry this SMS stands in for.</summary>
    public Guid? FallbackOf { get; private set; }

    public string Template { get; private set; } = "";

    public string Language { get; private set; } = "";

    public string Channel { get; private set; } = "";

    public string Provider { get; private set; } = "";

    /// <summary>A phone in E.164, or an email address.</summary>
    public string Recipient { get; private set; } = "";

    public string? ProviderMessageId { get; private set; }

    public DeliveryStatus Status { get; private set; } = DeliveryStatus.Queued;

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The rendered text with every secret replaced by a placeholder.</summary>
    public string Body { get; private set; } = "";

    /// <summary>The template's variables without the secret ones.</summary>
    public Dictionary<string, string> Variables { get; private set; } = [];

    /// <summary>The secret variables, protected by the infrastructure; null once no attempt can need them.</summary>
    public string? ProtectedSecrets { get; private set; }

    /// <summary>When the next attempt is due, while <see cref="Status"/> is <c>queued</c>.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>
    /// When the attempt under way began: committed before the provider is called, cleared when its result is
    /// recorded. Still set after a restart means the process stopped during the call.
    /// </summary>
    public DateTimeOffset? AttemptStartedAt { get; private set; }

    /// <summary>
    /// While the last attempt's outcome is unknown (under way, no answer, an answer lost): until when the provider's
    /// receipt is awaited before SMS takes over or the message is sent again. See docs/decisions/0404-unknown-outcomes.md.
    /// </summary>
    public DateTimeOffset? ReceiptDeadline { get; private set; }

    /// <summary>No attempt starts after this (an OTP that arrives after it expired is useless).</summary>
    public DateTimeOffset GiveUpAt { get; private set; }

    /// <summary>
    /// A WhatsApp message not delivered by then (still retrying, or sent without a receipt) goes out by SMS
    /// where the organisation allows it. Null once delivered, or once that is decided.
    /// </summary>
    public DateTimeOffset? FallbackAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public DateTimeOffset? FailedAt { get; private set; }

    /// <param name="fallbackAfter">For WhatsApp: how long it has to deliver before SMS may take over.</param>
    public static Notification Queue(
        Guid orgId,
        Guid sourceMessageId,
        string channel,
        string provider,
        string recipient,
        RenderedMessage message,
        string? protectedSecrets,
        DateTimeOffset giveUpAt,
        TimeSpan? fallbackAfter,
        DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrgId = orgId,
        SourceMessageId = sourceMessageId,
        Template = message.Template,
        Language = message.Language,
        Channel = channel,
        Provider = provider,
        Recipient = recipient,
        Body = message.RedactedBody,
        Variables = new Dictionary<string, string>(message.PublicVariables),
        ProtectedSecrets = protectedSecrets,
        Status = DeliveryStatus.Queued,
        NextAttemptAt = now,
        GiveUpAt = giveUpAt,
        FallbackAt = channel == ChannelNames.WhatsApp && fallbackAfter is { } after ? now + after : null,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public bool IsDue(DateTimeOffset now) => Status == DeliveryStatus.Queued && NextAttemptAt <= now;

    /// <summary>
    /// WhatsApp had its time and has not delivered: SMS may take over. Not while an attempt's outcome is unknown: that
    /// waits for its receipt (<see cref="IsReceiptOverdue"/>).
    /// </summary>
    public bool IsFallbackDue(DateTimeOffset now) =>
        FallbackAt <= now && Status is DeliveryStatus.Queued or DeliveryStatus.Sent && ReceiptDeadline is null;

    /// <summary>The last attempt's outcome is unknown and no receipt came by the deadline.</summary>
    public bool IsReceiptOverdue(DateTimeOffset now) => Status == DeliveryStatus.Queued && ReceiptDeadline <= now;

    /// <summary>
    /// An attempt is starting; past <see cref="GiveUpAt"/> the message fails instead. Until its result is recorded its
    /// outcome is unknown: if the process stops during the call, the receipt is awaited until
    /// <paramref name="outcomeDeadline"/> (after the call's own time limit, so no replica takes over a call under way).
    /// </summary>
    public Refusal? StartAttempt(string provider, DateTimeOffset now, DateTimeOffset outcomeDeadline)
    {
        if (!IsDue(now))
        {
            return new Refusal(RefusalKind.NotDue, "No attempt of this message is due.");
        }

        if (now > GiveUpAt)
        {
            Fail(LastError is null ? "expired before it could be sent" : $"expired before it could be sent; last error: {LastError}", now);
            return new Refusal(RefusalKind.TooLate, "The message's time ran out: it has failed.");
        }

        Provider = provider;
        Attempts++;
        NextAttemptAt = null;
        AttemptStartedAt = now;
        ReceiptDeadline = outcomeDeadline;
        UpdatedAt = now;
        return null;
    }

    /// <summary>
    /// Applies the provider's answer to the attempt <see cref="StartAttempt"/> admitted. A receipt may have got here
    /// first while the call was under way: the entry then only learns the provider's message id.
    /// </summary>
    public void RecordAttempt(SendResult result, RetryPolicy retries, double jitter, DateTimeOffset now)
    {
        UpdatedAt = now;
        AttemptStartedAt = null;
        if (Status != DeliveryStatus.Queued)
        {
            if (result is SendResult.Accepted { ProviderMessageId: var id })
            {
                ProviderMessageId ??= id;
            }

            return;
        }

        ReceiptDeadline = null;
        switch (result)
        {
            case SendResult.Accepted accepted:
                ProviderMessageId = accepted.ProviderMessageId;
                NextAttemptAt = null;
                LastError = null;
                Status = DeliveryStatus.Sent;
                SentAt = now;
                if (accepted.Status is DeliveryStatus.Delivered or DeliveryStatus.Read)
                {
                    ApplyReceipt(accepted.Status, null, now);
                }
                else if (FallbackAt is null)
                {
                    ProtectedSecrets = null; // nothing will send it again
                }

                break;

            case SendResult.Transient transient:
                LastError = transient.Error;
                var next = now + retries.DelayAfter(Attempts, jitter, transient.RetryAfter);
                if (Attempts >= retries.MaxAttempts || next > GiveUpAt)
                {
                    Fail($"gave up after {Attempts} attempts: {transient.Error}", now);
                }
                else
                {
                    NextAttemptAt = next;
                }

                break;

            case SendResult.Permanent permanent:
                Fail(permanent.Error, now);
                break;

            case SendResult.Unknown unknown:
                LastError = Clip($"{unknown.Error}; outcome unknown, waiting for the provider's receipt");
                ReceiptDeadline = now + retries.ReceiptWait;
                break;
        }
    }

    /// <summary>
    /// No receipt came by the deadline of an attempt whose outcome is unknown, and SMS does not take over: the message
    /// goes out again on its channel (the one duplicate this service can cause), unless its attempts or its time ran out.
    /// </summary>
    public void ResendAfterNoReceipt(RetryPolicy retries, DateTimeOffset now)
    {
        if (!IsReceiptOverdue(now))
        {
            throw new InvalidOperationException("Only a queued message whose receipt is overdue is sent again.");
        }

        AttemptStartedAt = null;
        ReceiptDeadline = null;
        UpdatedAt = now;
        var error = LastError ?? "the process stopped during the provider call";
        if (Attempts >= retries.MaxAttempts || now > GiveUpAt)
        {
            Fail($"gave up after {Attempts} attempts, no receipt: {error}", now);
            return;
        }

        LastError = Clip($"no receipt in time, sending again; {error}");
        NextAttemptAt = now;
    }

    /// <summary>
    /// A provider's status callback. Receipts arrive out of order and more than once: only a step forward
    /// (sent → delivered → read) or a failure of a message not yet delivered changes anything.
    /// </summary>
    /// <returns>Whether the status changed.</returns>
    /// <param name="providerMessageId">The provider's id of the message, which an attempt whose answer was lost never learned.</param>
    public bool ApplyReceipt(DeliveryStatus status, string? error, DateTimeOffset now, string? providerMessageId = null)
    {
        if (Status == DeliveryStatus.Queued && ReceiptDeadline is not null)
        {
            // The attempt whose outcome was unknown reached the provider after all.
            ProviderMessageId ??= providerMessageId;
            Status = DeliveryStatus.Sent;
            SentAt = now;
            NextAttemptAt = null;
            AttemptStartedAt = null;
            ReceiptDeadline = null;
            LastError = null;
            UpdatedAt = now;
            if (status == DeliveryStatus.Sent)
            {
                if (FallbackAt is null)
                {
                    ProtectedSecrets = null;
                }

                return true;
            }
        }

        if (Status is DeliveryStatus.Queued or DeliveryStatus.Failed)
        {
            return false;
        }

        if (status == DeliveryStatus.Failed)
        {
            if (Status != DeliveryStatus.Sent)
            {
                return false;
            }

            Fail(error ?? "the provider reported the message undelivered", now);
            return true;
        }

        if (status <= Status)
        {
            return false;
        }

        Status = status;
        UpdatedAt = now;
        FallbackAt = null;
        DeliveredAt ??= now;
        if (status == DeliveryStatus.Read)
        {
            ReadAt = now;
        }

        ProtectedSecrets = null;
        return true;
    }

    /// <summary>Only a failed WhatsApp message, one past its fallback time, or one whose receipt is overdue falls back to SMS.</summary>
    public Refusal? EnsureMayFallBack(DateTimeOffset now) =>
        Channel == ChannelNames.WhatsApp && (Status == DeliveryStatus.Failed || IsFallbackDue(now) || IsReceiptOverdue(now))
            ? null
            : new Refusal(RefusalKind.NoFallback, "Only a failed WhatsApp message, or one past its fallback time, falls back to SMS.");

    /// <summary>
    /// The same message by SMS (<paramref name="sms"/>), for a WhatsApp message that failed or had its time. The new
    /// entry takes over the secrets; a WhatsApp message still retrying stops (failed), one already sent stays as it is.
    /// </summary>
    public Refusal? FallBackToSms(string provider, DateTimeOffset now, out Notification? sms)
    {
        sms = null;
        if (EnsureMayFallBack(now) is { } refusal)
        {
            return refusal;
        }

        sms = new Notification
        {
            Id = Guid.CreateVersion7(now),
            OrgId = OrgId,
            SourceMessageId = SourceMessageId,
            FallbackOf = Id,
            Template = Template,
            Language = Language,
            Channel = ChannelNames.Sms,
            Provider = provider,
            Recipient = Recipient,
            Body = Body,
            Variables = new Dictionary<string, string>(Variables),
            ProtectedSecrets = ProtectedSecrets,
            Status = DeliveryStatus.Queued,
            NextAttemptAt = now,
            GiveUpAt = GiveUpAt,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (Status == DeliveryStatus.Queued)
        {
            Fail($"not delivered in time, sent by SMS instead{(LastError is null ? "" : $"; last error: {LastError}")}", now);
        }

        FallbackAt = null;
        ProtectedSecrets = null;
        UpdatedAt = now;
        return null;
    }

    /// <summary>SMS will not take over (not allowed, or no SMS provider): WhatsApp carries on alone.</summary>
    public void GoOnWithoutFallback(DateTimeOffset now)
    {
        FallbackAt = null;
        UpdatedAt = now;
        if (Status != DeliveryStatus.Queued)
        {
            ProtectedSecrets = null;
        }
    }

    private void Fail(string error, DateTimeOffset now)
    {
        Status = DeliveryStatus.Failed;
        LastError = Clip(error);
        FailedAt = now;
        UpdatedAt = now;
        NextAttemptAt = null;
        AttemptStartedAt = null;
        ReceiptDeadline = null;
        // A failed WhatsApp message keeps its secrets only until the fallback is decided.
        if (Channel != ChannelNames.WhatsApp)
        {
            ProtectedSecrets = null;
            FallbackAt = null;
        }
    }

    // The column holds 500 characters; errors are built from a provider's text, already cut to 300.
    private static string Clip(string error) => error.Length <= 500 ? error : error[..500];
}
