using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features.Shared;
using TeamPlatform.Permissions.Infrastructure;
using TeamPlatform.ServiceDefaults.Api;

namespace TeamPlatform.Permissions.Features.ListAudit;

/// <summary>One access change: who (<c>actor</c>, null for the system) changed whose access, when, before → after.</summary>
public sealed record AuditView(
    Guid Id,
    string Action,
    Guid? MemberId,
    string? MemberUsername,
    Guid? ActorId,
    string? ActorUsername,
    string? ConversationId,
    Guid? GroupId,
    JsonElement? Before,
    JsonElement? After,
    long Revision,
    DateTimeOffset OccurredAt);

/// <summary>The OpenAPI schema of <see cref="AuditView"/>: <c>before</c> and <c>after</c> are JSON objects, or null.</summary>
public static class AuditViewSchema
{
    public static void Describe(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (context.JsonTypeInfo.Type == typeof(AuditView) && schema.Properties is { } properties)
        {
            properties["before"] = State("What the change found: the member's status and access, or the conversation's visibility; null when there was none.");
            properties["after"] = State("What the change left; null when it removed it.");
        }

        return Task.CompletedTask;
    });

    private static OpenApiSchema State(string description) => new()
    {
        Type = JsonSchemaType.Object | JsonSchemaType.Null,
        Description = description,
    };
}

/// <summary><c>GET /api/audit?memberId=&amp;page=&amp;pageSize=</c> — newest first (by revision: every change has one).</summary>
public static class ListAuditEndpoint
{
    public static async Task<Results<Ok<Paged<AuditView>>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] Guid? memberId,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        CancellationToken cancellationToken)
    {
        if (Paging.Validate(page, pageSize, out var validPage, out var validPageSize) is { } pagingError)
        {
            return ApiProblem.Validation(pagingError);
        }

        if (await db.TeamManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotTeamManager);
        }

        var entries = db.AuditEntries.AsNoTracking().Where(e => e.OrgId == actor.OrgId);
        if (memberId is { } member)
        {
            entries = entries.Where(e => e.MemberId == member);
        }

        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.Revision).ThenByDescending(e => e.Id)
            .Skip((validPage - 1) * validPageSize).Take(validPageSize)
            .ToListAsync(cancellationToken);

        var people = items.SelectMany(e => new[] { e.MemberId, e.ActorId }).OfType<Guid>().Distinct().ToList();
        var usernames = await db.Members.AsNoTracking()
            .Where(m => m.OrgId == actor.OrgId && people.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => m.Username, cancellationToken);

        return TypedResults.Ok(new Paged<AuditView>(
            items.Select(e => new AuditView(
                e.Id,
                e.Action,
                e.MemberId,
                e.MemberId is { } m ? usernames.GetValueOrDefault(m) : null,
                e.ActorId,
                e.ActorId is { } a ? usernames.GetValueOrDefault(a) : null,
                e.ConversationId,
                e.GroupId,
                Parse(e.Before),
                Parse(e.After),
                e.Revision,
                e.OccurredAt)).ToList(),
            total,
            validPage,
            validPageSize));
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
