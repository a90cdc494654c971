using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.Testing;

namespace TeamPlatform.Notifications.Tests;

/// <summary>The notification service in process on the real PostgreSQL and RabbitMQ, with every log line it writes captured.</summary>
public sealed class NotificationHost : ServiceHost<NotificationDbContext>
{
    private NotificationHost(Dictionary<string, string?> settings)
        : base(settings)
    {
    }

    public LogCapture Logs { get; } = new();

    /// <summary>Every phone, email, code and link this host was given: none may appear in its logs.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Secrets { get; } = [];

    public static async Task<NotificationHost> StartAsync(IDictionary<string, string?> settings)
    {
        var host = new NotificationHost(await SettingsAsync(NotificationService.Name, settings));
        _ = host.Server;
        return host;
    }

    public string BrokerAddress => Settings["ConnectionStrings:rabbitmq"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public async Task SendAsync<T>(T command, Guid? messageId = null) where T : class
    {
        Remember(command);
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{CommandQueues.Notification}"));
        await endpoint.Send(command, context => context.MessageId = messageId ?? Guid.NewGuid());
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        Remember(message);
        return Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId ?? Guid.NewGuid());
    }

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

    public async Task<T> InDatabase<T>(Func<NotificationDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
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
