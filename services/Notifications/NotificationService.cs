using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.Notifications.Channels;
using TeamPlatform.Notifications.Channels.Development;
using TeamPlatform.Notifications.Channels.Smtp;
using TeamPlatform.Notifications.Channels.Twilio;
using TeamPlatform.Notifications.Channels.WhatsApp;
using TeamPlatform.Notifications.Domain;
using TeamPlatform.Notifications.Features.AnnounceApproval;
using TeamPlatform.Notifications.Features.Shared;
using FluentValidation;
using TeamPlatform.Notifications.Features.DeliverWebhooks;
using TeamPlatform.Notifications.Features.DeliveryLog;
using TeamPlatform.Notifications.Features.ManageWebhooks;
using TeamPlatform.Notifications.Features.WebhookDeliveries;
using TeamPlatform.Notifications.Features.DevelopmentInbox;
using TeamPlatform.Notifications.Features.KeepDirectory;
using TeamPlatform.Notifications.Features.RequestApproval;
using TeamPlatform.Notifications.Features.SendInvitation;
using TeamPlatform.Notifications.Features.SendOtp;
using TeamPlatform.Notifications.Features.TwilioWebhook;
using TeamPlatform.Notifications.Features.WhatsAppWebhook;
using TeamPlatform.Notifications.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Notifications;

public static class NotificationService
{
    public const string Name = ServiceNames.Notification;
    public const string DevelopmentChannelOutsideDevelopment = "Notifications:DevelopmentChannel:AllowOutsideDevelopment";

    public static IHostApplicationBuilder AddNotificationService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.ConnectionName);
        builder.AddMessaging<NotificationDbContext>(Name, bus =>
        {
            // Commands carry codes and links: they arrive on the service's own queue, never on a shared exchange.
            bus.AddConsumer<SendOtpConsumer>().Endpoint(e => e.Name = QueueNames.Quorum(CommandQueues.Notification));
            bus.AddConsumer<SendInvitationConsumer>().Endpoint(e => e.Name = QueueNames.Quorum(CommandQueues.Notification));
            bus.AddConsumer<MemberApprovalRequestedConsumer>();
            bus.AddConsumer<MemberAccessChangedConsumer>();
            bus.AddConsumer<OrganisationCreatedConsumer>();
            bus.AddConsumer<OrganisationSettingsChangedConsumer>();
            bus.AddConsumer<MemberRegisteredConsumer>();
            bus.AddConsumer<MemberProfileChangedConsumer>();
            bus.AddWebhookConsumers();
        });
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();
        builder.Services.AddInternalClient<PermissionClient>(ServiceNames.Permission);
        builder.Services.AddDataProtection()
            .SetApplicationName("TeamPlatform.Notifications")
            .PersistKeysToDbContext<NotificationDbContext>();
        builder.Services.AddSingleton<SecretProtector>();

        builder.AddChannels();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddServiceMetrics<NotificationMetrics>();
        builder.Services.AddScoped<DeliveryQueue>();
        builder.Services.AddScoped<DeliveryOutcomes>();
        builder.Services.AddScoped<Deliverer>();
        builder.Services.AddScoped<ReceiptHandler>();
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.AddWebhooks();
        return builder;
    }

    private static void AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IHostEnvironment>((options, environment) => options.AllowLocalTargets ??= environment.IsDevelopment());
        services.AddValidatorsFromAssemblyContaining<RegisterWebhookValidator>(ServiceLifetime.Singleton);
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSignal>();
        // Receivers are the organisation's, not TeamPlatform's: a blind retry is the schedule's to make, not the client's.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt a client out.
        // Its logs would name the URL, whose path or query may hold the receiver's own secret: the dispatcher logs ids.
        services.AddHttpClient<WebhookSender>()
            .ConfigurePrimaryHttpMessageHandler(provider =>
                WebhookSender.Handler(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.LocalTargetsAllowed))
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        services.AddScoped<WebhookDispatcher>();
        services.AddScoped<WebhookHousekeeping>();
        services.AddHostedService<WebhookWorker>();
    }

    public static WebApplication MapNotificationEndpoints(this WebApplication app)
    {
        app.MapGet("/api/notifications", DeliveryLogEndpoint.HandleAsync)
            .RequireAuthorization()
            .WithPaging(Paging.DefaultPageSize, Paging.MaxPageSize)
            .WithQueryValues("type", TemplateNames.All)
            .WithQueryValues("status", DeliveryStatuses.All)
            .WithTags("Delivery log")
            .WithSummary("The organisation's delivery log, newest first");
        app.MapGet("/api/dev/notifications", DevelopmentInboxEndpoint.HandleAsync)
            .AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ErrorCodes.NotFound)
            .WithTags("Development channel")
            .WithSummary("Messages the development channel delivered to a recipient, newest first");

        var whatsApp = app.MapGroup(WhatsAppWebhookEndpoints.Path).AllowAnonymous().WithTags("Provider webhooks");
        // Each answers 404 where its provider is not configured.
        whatsApp.MapGet("", WhatsAppWebhookEndpoints.Verify).WithSummary("Meta's verification handshake")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ErrorCodes.NotFound);
        whatsApp.MapPost("", WhatsAppWebhookEndpoints.ReceiveAsync).WithSummary("Message status updates, signed with X-Hub-Signature-256")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ErrorCodes.NotFound);
        app.MapPost(TwilioWebhookEndpoint.Path, TwilioWebhookEndpoint.HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed)
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ErrorCodes.NotFound)
            .WithTags("Provider webhooks")
            .WithSummary("Twilio's message status callback, signed with X-Twilio-Signature");
        app.MapWebhookEndpoints();
        return app;
    }

    private static void MapWebhookEndpoints(this WebApplication app)
    {
        var webhooks = app.MapGroup("/api/webhooks").RequireAuthorization().RequireOrganisationAdmin().WithTags("Webhooks");
        webhooks.MapGet("/event-types", ManageWebhooksEndpoints.EventTypes)
            .WithSummary("The events an endpoint may subscribe to");
        webhooks.MapGet("/", ManageWebhooksEndpoints.ListAsync).WithSummary("The organisation's webhook endpoints");
        webhooks.MapPost("/", ManageWebhooksEndpoints.RegisterAsync)
            .Validate<RegisterWebhookRequest>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.WebhookTargetRefused)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.WebhookLimitReached)
            .WithSummary("Register an endpoint; the answer holds its signing secret, shown only this once");
        webhooks.MapGet("/{id:guid}", ManageWebhooksEndpoints.GetAsync).WithSummary("One endpoint");
        webhooks.MapPut("/{id:guid}", ManageWebhooksEndpoints.ChangeAsync)
            .Validate<ChangeWebhookRequest>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.WebhookTargetRefused)
            .WithSummary("Change an endpoint's URL, events or description, or turn it off or back on");
        webhooks.MapDelete("/{id:guid}", ManageWebhooksEndpoints.DeleteAsync).WithSummary("Delete an endpoint and its delivery log");
        webhooks.MapPost("/{id:guid}/rotate", ManageWebhooksEndpoints.RotateAsync)
            .WithSummary("A new signing secret; the previous one keeps signing beside it for 24 hours");
        webhooks.MapGet("/{id:guid}/deliveries", WebhookDeliveryEndpoints.ListAsync)
            .WithPaging(Paging.DefaultPageSize, Paging.MaxPageSize)
            .WithQueryValues("status", WebhookDeliveryStatuses.All)
            .WithSummary("The endpoint's delivery log, newest first");
        webhooks.MapGet("/{id:guid}/deliveries/{deliveryId:guid}", WebhookDeliveryEndpoints.GetAsync).WithSummary("One delivery, with its payload");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", WebhookDeliveryEndpoints.ReplayOneAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.ReplayUnavailable)
            .WithSummary("Send one delivery again (same webhook-id)");
        webhooks.MapPost("/{id:guid}/replay", WebhookDeliveryEndpoints.ReplaySinceAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.ReplayUnavailable)
            .WithSummary("Send again every delivery since an instant of the last 7 days");
    }

    /// <summary>
    /// One provider per channel, from configuration: a configured provider wins; otherwise the development channel
    /// serves it — in Development, or where explicitly allowed — and elsewhere the channel is unavailable (WhatsApp,
    /// the primary channel, must then be configured). See docs/decisions/0401-development-channel.md.
    /// </summary>
    private static void AddChannels(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section)
            .PostConfigure<IConfiguration>((twilio, config) =>
            {
                if (twilio.StatusCallbackUrl is null && Uri.TryCreate(config["TeamPlatform:PublicBaseUrl"], UriKind.Absolute, out var publicBase))
                {
                    twilio.StatusCallbackUrl = new Uri(publicBase, TwilioWebhookEndpoint.Path);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var configured = new Dictionary<string, string?>
        {
            [ChannelNames.WhatsApp] = configuration.GetSection(WhatsAppOptions.Section).Get<WhatsAppOptions>()?.IsConfigured == true ? ProviderNames.WhatsAppCloud : null,
            [ChannelNames.Sms] = configuration.GetSection(TwilioOptions.Section).Get<TwilioOptions>()?.IsConfigured == true ? ProviderNames.Twilio : null,
            [ChannelNames.Email] = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>()?.IsConfigured == true ? ProviderNames.Smtp : null,
        };
        var developmentAllowed = builder.Environment.IsDevelopment() || configuration.GetValue<bool>(DevelopmentChannelOutsideDevelopment);
        if (configured[ChannelNames.WhatsApp] is null && !developmentAllowed)
        {
            throw new InvalidOperationException(
                $"No WhatsApp provider is configured ({WhatsAppOptions.Section}:AccessToken…). Outside Development the development channel, " +
                $"which shows codes to anyone who asks, is off unless {DevelopmentChannelOutsideDevelopment} is true.");
        }

        var selection = configured
            .Select(c => (Channel: c.Key, Provider: c.Value ?? (developmentAllowed ? ProviderNames.Development : null)))
            .Where(c => c.Provider is not null)
            .ToDictionary(c => c.Channel, c => c.Provider!);
        services.AddSingleton(new ChannelSelection(selection));
        services.AddScoped<ChannelProviders>();

        foreach (var channel in ChannelNames.All)
        {
            services.AddKeyedScoped<IChannelProvider>(
                ChannelProviders.Key(channel, ProviderNames.Development),
                (provider, _) => new DevelopmentChannel(channel, provider.GetRequiredService<NotificationDbContext>(), provider.GetRequiredService<TimeProvider>()));
        }

        // Provider calls are not idempotent: a blind HTTP retry could send a message twice. Retries are the worker's.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt a client out.
        services.AddHttpClient<WhatsAppCloudProvider>().RemoveAllResilienceHandlers();
        services.AddKeyedScoped<IChannelProvider>(
            ChannelProviders.Key(ChannelNames.WhatsApp, ProviderNames.WhatsAppCloud), (provider, _) => provider.GetRequiredService<WhatsAppCloudProvider>());
        services.AddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient<TwilioSmsProvider>().AddHttpMessageHandler<TwilioBaseUrlHandler>().RemoveAllResilienceHandlers();
        services.AddKeyedScoped<IChannelProvider>(
            ChannelProviders.Key(ChannelNames.Sms, ProviderNames.Twilio), (provider, _) => provider.GetRequiredService<TwilioSmsProvider>());
#pragma warning restore EXTEXP0001
        services.AddTransient<SmtpEmailProvider>();
        services.AddKeyedScoped<IChannelProvider>(
            ChannelProviders.Key(ChannelNames.Email, ProviderNames.Smtp), (provider, _) => provider.GetRequiredService<SmtpEmailProvider>());
    }
}
