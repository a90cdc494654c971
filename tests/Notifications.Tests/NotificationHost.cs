using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Testing;

namespace TeamPlatform.Notifications.Tests;

/// <summary>
/// The notification service in process, the secrets it was given remembered; its test bus sends the commands other
/// services would and hears what the service publishes.
/// </summary>
public sealed class NotificationHost : DatabaseServiceHost<NotificationDbContext>
{
    private NotificationHost(Dictionary<string, string?> settings)
        : base(settings)
    {
    }

    /// <summary>Every phone, email, code and link this host was given: none may appear in its logs.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public static async Task<NotificationHost> StartAsync(IDictionary<string, string?> settings)
    {
        var host = new NotificationHost(await SettingsAsync(NotificationService.Name, settings));
        await host.StartServiceAsync();
        return host;
    }

    /// <summary>Another replica: same database and virtual host, the same test bus.</summary>
    public async Task<NotificationHost> StartReplicaAsync()
    {
        var replica = new NotificationHost(new Dictionary<string, string?>(Settings));
        await replica.StartServiceAsync(sharedBus: Bus);
        return replica;
    }

    public Task SendAsync<T>(T command, Guid? messageId = null) where T : class
    {
        Remember(command);
        return Bus.Send(CommandQueues.Notification, command, messageId);
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        Remember(message);
        return Bus.Publish(message, messageId);
    }

    protected override void Subscribe(TestBus.Subscriptions subscriptions) => subscriptions
        .Event<NotificationDelivered>()
        .Event<NotificationFailed>();

    /// <summary>Fails when any line this host logged holds a phone, email, code or link it was given.</summary>
    public void AssertLogsClean() => Logs.AssertFreeOf([.. Secrets]);

    private void Remember(object message)
    {
        string?[] secrets = message switch
        {
            SendOtp otp => [otp.Phone, otp.Code],
            SendInvitation invitation => [invitation.Phone, invitation.Email, invitation.Link, invitation.Link[(invitation.Link.LastIndexOf('/') + 1)..]],
            MemberRegistered member => [member.Phone],
            MemberProfileChanged profile => [profile.Phone],
            MemberApprovalRequested request => [.. request.Recipients.Select(r => r.Phone)],
            _ => [],
        };
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            Secrets.Add(secret!);
        }
    }

    public Task<List<Notification>> EntriesTo(string recipient) =>
        InDatabase(db => db.Notifications.AsNoTracking().Where(n => n.Recipient == recipient).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync());

    /// <summary>Waits until the entries to <paramref name="recipient"/> satisfy <paramref name="done"/>.</summary>
    public Task<List<Notification>> EntriesTo(string recipient, Func<List<Notification>, bool> done, string what) =>
        Eventually.Until(() => EntriesTo(recipient), done, TimeSpan.FromSeconds(20), what);

    /// <summary>Publishes an organisation and waits until the directory has it.</summary>
    public async Task<Guid> CreateOrganisationAsync(string name = "Hope NGO", string language = "en", bool smsFallback = true)
    {
        var orgId = Guid.NewGuid();
        await PublishAsync(new OrganisationCreated(
            orgId, $"org-{orgId:N}"[..20], name,
            new OrganisationSettings(2, 30, "approval", null, language, smsFallback),
            Time.GetUtcNow()));
        await Eventually.Until(() => InDatabase(db => db.Organisations.AnyAsync(o => o.OrgId == orgId)), found => found, what: "the organisation in the directory");
        return orgId;
    }

    public SendOtp Otp(Guid orgId, string phone, string code, string purpose = OtpPurposes.Registration, string language = "en") =>
        new(Guid.NewGuid(), orgId, "Hope NGO", phone, code, purpose, language, Time.GetUtcNow().AddMinutes(5), Time.GetUtcNow());
}
