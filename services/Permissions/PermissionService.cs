using System.Security.Cryptography;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.Permissions.Features.AccessReview;
using TeamPlatform.Permissions.Features.ChangeAccess;
using TeamPlatform.Permissions.Features.EndTimeBoundAccess;
using TeamPlatform.Permissions.Features.CheckInvitation;
using TeamPlatform.Permissions.Features.CheckPermissions;
using TeamPlatform.Permissions.Features.ConversationVisibility;
using TeamPlatform.Permissions.Features.CreateGroup;
using TeamPlatform.Permissions.Features.DeleteGroup;
using TeamPlatform.Permissions.Features.EffectivePermissions;
using TeamPlatform.Permissions.Features.GatherAudit;
using TeamPlatform.Permissions.Features.GetMember;
using TeamPlatform.Permissions.Features.GetMemberStatus;
using TeamPlatform.Permissions.Features.ListAdmins;
using TeamPlatform.Permissions.Features.ListAudit;
using TeamPlatform.Permissions.Features.ListGroups;
using TeamPlatform.Permissions.Features.RenameGroup;
using TeamPlatform.Permissions.Features.ListMembers;
using TeamPlatform.Permissions.Features.ListRoles;
using TeamPlatform.Permissions.Features.MemberSummary;
using TeamPlatform.Permissions.Features.RegisterMember;
using TeamPlatform.Permissions.Features.RemoveMember;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Features.SyncMemberProfiles;
using TeamPlatform.Permissions.Features.SyncOrganisations;
using TeamPlatform.Permissions.Features.VerifyAudit;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.Permissions.Infrastructure.Snapshots;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Permissions;

public static class PermissionService
{
    public const string Name = ServiceNames.Permission;

    public static IHostApplicationBuilder AddPermissionService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PermissionOptions>()
            .BindConfiguration(PermissionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var replicaId = builder.Configuration[$"{PermissionOptions.Section}:{nameof(PermissionOptions.ReplicaId)}"]
            ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

        // A page of a large organisation's search is a few dozen index lookups: starting a parallel worker for it costs
        // more than the lookups, and on two cores the worker competes with the requests (decision 0208).
        builder.AddServiceDatabase<PermissionDbContext>(PermissionDbContext.ConnectionName,
            connection => connection.Options = "-c max_parallel_workers_per_gather=0");
        builder.Services.ConfigureDbContext<PermissionDbContext>(options => options.BackfillAfterMigrations());
        builder.AddMessaging<PermissionDbContext>(Name, bus =>
        {
            bus.AddConsumer<OrganisationCreatedConsumer>();
            bus.AddConsumer<OrganisationSettingsChangedConsumer>();
            bus.AddConsumer<MemberProfileChangedConsumer>();
            bus.AddConsumer<MemberSignedInAuditConsumer>();
            bus.AddConsumer<MemberSessionsRevokedAuditConsumer>();
            bus.AddConsumer<InvitationCreatedAuditConsumer>();
            bus.AddConsumer<InvitationRenewedAuditConsumer>();
            bus.AddConsumer<InvitationRevokedAuditConsumer>();
            bus.AddConsumer<InvitationAcceptedAuditConsumer>();
            // Every replica must hear every change: a queue of its own, gone when the replica is.
            bus.AddPerInstanceConsumer<SnapshotSyncConsumer>(Name, replicaId);
        });
        builder.AddTokenAuthentication();
        builder.AddInternalAuthentication();

        builder.Services.AddSingleton<ISnapshotSource, SnapshotStore>();
        builder.Services.AddSingleton<SnapshotCache>();
        builder.Services.AddServiceMetrics<PermissionMetrics>();
        builder.Services.AddScoped<OrganisationWrite>();
        builder.Services.AddHostedService<SnapshotResync>();
        builder.Services.AddHostedService<TimeBoundAccessSweeper>();
        builder.Services.AddValidatorsFromAssemblyContaining<RegisterMemberValidator>(ServiceLifetime.Singleton);
        builder.Services.ConfigureApiDocument(AuditViewSchema.Describe);
        return builder;
    }

    public static WebApplication MapPermissionEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("/", ListMembersEndpoint.HandleAsync)
            .WithPaging(Paging.DefaultPageSize, Paging.MaxPageSize)
            .WithQueryValues("status", MemberStatusNames.All)
            .WithQueryValues("role", Roles.All)
            .WithQueryMaxLength("q", ListMembersEndpoint.MaxQueryLength);
        members.MapGet("/summary", MemberSummaryEndpoint.HandleAsync);
        members.MapGet("/{id:guid}", GetMemberEndpoint.HandleAsync);
        members.MapDelete("/{id:guid}", RemoveMemberEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Escalation)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.LastAdmin, ErrorCodes.Conflict);
        members.MapPut("/{id:guid}/access", ChangeAccessEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Escalation)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.LastAdmin, ErrorCodes.Conflict);
        members.MapPost("/{id:guid}/access/preview", PreviewAccessEndpoint.HandleAsync)
            .WithName("PreviewAccess")
            .WithSummary("What an access change would gain and lose, and whether it would be refused; nothing is saved");
        members.MapPut("/{id:guid}/access/groups/{groupId:guid}", ChangeGroupAccessEndpoint.HandleAsync)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.Escalation)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.Conflict)
            .WithName("ChangeGroupAccess")
            .WithSummary("Set a member's grants on one group, merged into their access (group admins within their groups)");
        members.MapPost("/{id:guid}/access/groups/{groupId:guid}/preview", ChangeGroupAccessEndpoint.PreviewAsync)
            .WithName("PreviewGroupAccess")
            .WithSummary("What setting a member's grants on one group would gain and lose; nothing is saved");
        members.MapGet("/{id:guid}/effective-permissions", EffectivePermissionsEndpoint.HandleAsync);
        members.MapGet("/{id:guid}/explain", ExplainCheckEndpoint.HandleAsync)
            .WithName("ExplainCheck")
            .WithSummary("A check's answer for a member with every step the evaluator took (self, or admin_settings)")
            .WithQueryMaxItems("groupId", ExplainCheckEndpoint.MaxGroupIds);

        api.MapGet("/roles", ListRolesEndpoint.Handle).WithTags("Roles");

        var groups = api.MapGroup("/groups").WithTags("Groups");
        groups.MapGet("/", ListGroupsEndpoint.HandleAsync)
            .WithPaging(Paging.DefaultPageSize, Paging.MaxPageSize)
            .WithQueryMaxItems("ids", ListGroupsEndpoint.MaxIds);
        groups.MapPost("/", CreateGroupEndpoint.HandleAsync).ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.Conflict);
        groups.MapPatch("/{id:guid}", RenameGroupEndpoint.HandleAsync).ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.Conflict);
        groups.MapDelete("/{id:guid}", DeleteGroupEndpoint.HandleAsync);

        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapGet("/{id}/visibility", ConversationVisibilityEndpoints.GetAsync);
        conversations.MapPut("/{id}/visibility", ConversationVisibilityEndpoints.PutAsync);
        conversations.MapDelete("/{id}/visibility", ConversationVisibilityEndpoints.DeleteAsync);

        var checks = api.MapGroup("/permissions").WithTags("Checks");
        checks.MapPost("/check", CheckEndpoints.CheckAsync);
        checks.MapPost("/check-batch", CheckEndpoints.CheckBatchAsync);
        checks.MapPost("/filter", CheckEndpoints.FilterAsync);

        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", ListAuditEndpoint.HandleAsync)
            .WithPaging(Paging.DefaultPageSize, Paging.MaxPageSize)
            .WithQueryValues("format", ["json", .. CsvExport.Formats])
            .AddOpenApiOperationTransformer(CsvExport.Describe);
        audit.MapGet("/verify", VerifyAuditEndpoint.HandleAsync);
        api.MapGet("/access-review", AccessReviewEndpoint.HandleAsync).WithTags("Audit")
            .WithQueryValues("format", CsvExport.Formats)
            .AddOpenApiOperationTransformer(CsvExport.Describe);

        var internalApi = app.MapGroup("/internal").RequireAuthorization(InternalAuthentication.Policy).ExcludeFromDescription();
        internalApi.MapPost("/members", RegisterMemberEndpoint.HandleAsync).Validate<RegisterMemberRequest>();
        internalApi.MapGet("/orgs/{orgId:guid}/members/{memberId:guid}", GetMemberStatusEndpoint.HandleAsync);
        internalApi.MapGet("/orgs/{orgId:guid}/members/{memberId:guid}/effective-permissions", EffectivePermissionsEndpoint.HandleInternalAsync);
        internalApi.MapPost("/permissions/check", CheckEndpoints.InternalCheckAsync);
        internalApi.MapGet("/orgs/{orgId:guid}/admins", ListAdminsEndpoint.HandleAsync);
        internalApi.MapPost("/orgs/{orgId:guid}/invitation-checks", CheckInvitationEndpoint.HandleAsync);
        internalApi.MapPost("/orgs/{orgId:guid}/invitation-checks/batch", CheckInvitationBatchEndpoint.HandleAsync)
            .WithMetadata(new RequestSizeLimitAttribute(CheckInvitationBatchEndpoint.MaxBodyBytes));
        return app;
    }
}
