using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.DataProtection;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Internal;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Invitations.Domain;
using TeamPlatform.Invitations.Features;
using TeamPlatform.Invitations.Features.AcceptInvitation;
using TeamPlatform.Invitations.Features.BulkInvitations;
using TeamPlatform.Invitations.Features.CopyLink;
using TeamPlatform.Invitations.Features.CreateInvitation;
using TeamPlatform.Invitations.Features.ExpirySweep;
using TeamPlatform.Invitations.Features.ReleaseUnfinishedAcceptances;
using TeamPlatform.Invitations.Features.GetInvitation;
using TeamPlatform.Invitations.Features.ListInvitations;
using TeamPlatform.Invitations.Features.PreviewInvitation;
using TeamPlatform.Invitations.Features.RecordAcceptance;
using TeamPlatform.Invitations.Features.RenewInvitation;
using TeamPlatform.Invitations.Features.ResendInvitation;
using TeamPlatform.Invitations.Features.RevokeInvitation;
using TeamPlatform.Invitations.Features.TrackOrganisations;
using TeamPlatform.Invitations.Features.ValidateToken;
using TeamPlatform.Invitations.Infrastructure;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Invitations;

public static class InvitationService
{
    public const string Name = ServiceNames.Invitation;

    private const string InvitationsPath = "/api/invitations";

    public static IHostApplicationBuilder AddInvitationService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<InvitationDbContext>(InvitationDbContext.ConnectionName);
        // Outbox rows written before the commands left the public contracts still name them there.
        builder.AddMovedMessageTypes(MovedCommands.All);
        builder.AddMessaging<InvitationDbContext>(Name, bus =>
        {
            bus.AddConsumer<OrganisationCreatedConsumer>();
            bus.AddConsumer<OrganisationSettingsChangedConsumer>();
            bus.AddConsumer<MemberRegisteredConsumer>();
        });
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();

        var services = builder.Services;
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Every replica, before and after a restart, must decrypt the tokens any of them encrypted.
        services.AddDataProtection()
            .SetApplicationName("TeamPlatform.Invitations")
            .PersistKeysToDbContext<InvitationDbContext>();
        services.AddSingleton<InvitationTokens>();
        services.AddSingleton<InvitationLinks>();
        services.AddSingleton<InvitationViews>();
        services.AddSingleton<NewInvitations>();
        services.AddServiceMetrics<InvitationMetrics>();

        services.AddInternalClient<PermissionClient>(ServiceNames.Permission);
        services.AddValidatorsFromAssemblyContaining<CreateInvitationValidator>(includeInternalTypes: true);

        services.AddSingleton<ExpirySweep>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpirySweep>());
        services.AddSingleton<UnfinishedAcceptanceSweep>();
        services.AddHostedService(provider => provider.GetRequiredService<UnfinishedAcceptanceSweep>());
        services.AddSingleton<BulkInvitationSender>();
        services.AddHostedService(provider => provider.GetRequiredService<BulkInvitationSender>());

        // The preview's path carries the token. Hosting opens a log scope with the request path for every
        // request, and every record inside carries it; telemetry ties logs to requests by trace id anyway.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        return builder;
    }

    public static WebApplication MapInvitationEndpoints(this WebApplication app)
    {
        var invitations = app.MapGroup(InvitationsPath).WithTags("Invitations");
        invitations.MapPost("/", CreateInvitationEndpoint.HandleAsync)
            .RequireAuthorization()
            .Validate<CreateInvitationRequest>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Escalation)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.AlreadyMember)
            .WithName("CreateInvitation")
            .WithSummary("Invite a phone with preset access");
        invitations.MapPost("/bulk", SubmitBulkInvitationEndpoint.HandleAsync)
            .RequireAuthorization()
            // One byte over the upload's limit reaches the handler, which answers 413 in its own words.
            .WithMetadata(new RequestSizeLimitAttribute(BulkUpload.MaxBodyBytes + 1))
            .Accepts<string>("text/csv", "application/json")
            .AddOpenApiOperationTransformer(BulkUpload.DescribeJsonBody)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Escalation)
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused)
            .WithName("SubmitBulkInvitation")
            .WithSummary("Invite up to 1,000 phones from a CSV or JSON upload (dryRun=true: what would happen)");
        invitations.MapGet(PreviewInvitationEndpoint.Segment + "/{token}", PreviewInvitationEndpoint.HandleAsync)
            .AllowAnonymous()
            .WithName("PreviewInvitation")
            .WithSummary("What an invitation link is for (anonymous)");

        var managed = invitations.MapGroup("")
            .RequireAuthorization()
            .AddEndpointFilter<TeamManagementFilter>();
        managed.MapGet("/", ListInvitationsEndpoint.HandleAsync)
            .WithPaging(ListInvitationsEndpoint.DefaultPageSize, ListInvitationsEndpoint.MaxPageSize)
            .WithQueryValues("status", Enum.GetNames<InvitationStatus>().Select(name => name.ToLowerInvariant()))
            .WithName("ListInvitations")
            .WithSummary("List invitations: pending, expired, accepted or revoked");
        managed.MapGet("/{id:guid}", GetInvitationEndpoint.HandleAsync)
            .WithName("GetInvitation")
            .WithSummary("One invitation");
        managed.MapGet("/bulk/{id:guid}", GetBulkInvitationEndpoint.HandleAsync)
            .WithName("GetBulkInvitation")
            .WithSummary("A bulk invitation's progress and every row's result");
        managed.MapGet("/{id:guid}/link", CopyLinkEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.InvitationUsed, ErrorCodes.InvitationRevoked, ErrorCodes.InvitationExpired)
            .WithName("CopyInvitationLink")
            .WithSummary("Copy the link of a pending invitation");
        managed.MapPost("/{id:guid}/resend", ResendInvitationEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.InvitationUsed, ErrorCodes.InvitationRevoked, ErrorCodes.InvitationExpired)
            .WithName("ResendInvitation")
            .WithSummary("Send a pending invitation again");
        managed.MapPost("/{id:guid}/renew", RenewInvitationEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.InvitationUsed, ErrorCodes.InvitationRevoked, ErrorCodes.InvitationNotExpired)
            .WithName("RenewInvitation")
            .WithSummary("Renew an expired invitation with a new link");
        managed.MapDelete("/{id:guid}", RevokeInvitationEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.InvitationUsed, ErrorCodes.InvitationRevoked)
            .WithName("RevokeInvitation")
            .WithSummary("Revoke a pending or expired invitation");

        var internalApi = app.MapGroup("/internal/invitations")
            .RequireAuthorization(InternalAuthentication.Policy)
            .ExcludeFromDescription();
        internalApi.MapPost("/validate", ValidateTokenEndpoint.HandleAsync)
            .Validate<ValidateInvitationRequest>()
            .WithName("ValidateInvitationToken");
        internalApi.MapPost("/accept", AcceptInvitationEndpoint.HandleAsync)
            .Validate<AcceptInvitationRequest>()
            .WithName("AcceptInvitation");
        return app;
    }
}
