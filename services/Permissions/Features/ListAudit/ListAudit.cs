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

/// <summary>
/// One access change: who (<c>actor</c>, null for the system and for time-bound access that ended; <c>changedByKind</c>
/// says which: <c>member</c>, <c>expiry</c> or <c>system</c>) changed whose access, when, before → after, and its place
/// in the organisation's hash chain (<c>sequence</c>, <c>hash</c> in hex).
/// </summary>
public sealed record AuditView(
    Guid Id,
    string Action,
    Guid? MemberId,
    string? MemberUsername,
    Guid? ActorId,
    string? ActorUsername,
    string ChangedByKind,
    string? ConversationId,
    Guid? GroupId,
    JsonElement? Before,
    JsonElement? After,
    long Revision,
    DateTimeOffset OccurredAt,
    long Sequence,
    string Hash);

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

/// <summary>
/// <c>GET /api/audit?memberId=&amp;page=&amp;pageSize=</c> — newest first (by place in the chain: the order the changes were
/// committed). <c>format=csv</c>: every matching entry, oldest first, as <c>text/csv</c> (docs/permissions.md#exports).
/// </summary>
public static class ListAuditEndpoint
{
    public static readonly IReadOnlyList<string> CsvHeader =
    [
        "sequence", "occurredAt", "action", "memberId", "memberUsername", "actorId", "actorUsername", "groupId", "conversationId",
        "revision", "before", "after", "hash",
    ];

    public static async Task<Results<Ok<Paged<AuditView>>, CsvExport, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user,
        PermissionDbContext db,
        [FromQuery] Guid? memberId,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromQuery] string? format,
        CancellationToken cancellationToken)
    {
        if (Paging.Validate(page, pageSize, out var validPage, out var validPageSize) is { } pagingError)
        {
            return ApiProblem.Validation(pagingError);
        }

        if (format is not (null or "json" or "csv"))
        {
            return ApiProblem.Validation("format is json (the default, a page) or csv (every matching entry).");
        }

        if (await db.MemberManagerAsync(user, cancellationToken) is not { } actor)
        {
            return Problems.For(TeamPolicy.NotMemberManager);
        }

        var entries = db.AuditEntries.AsNoTracking().Where(e => e.OrgId == actor.OrgId).VisibleTo(actor);

        if (memberId is { } member)
        {
            entries = entries.Where(e => e.MemberId == member);
        }

        if (format == "csv")
        {
            return new CsvExport("audit.csv", CsvHeader, (rows, ct) => WriteCsvAsync(db, entries, rows, ct));
        }

        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.Sequence)
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
                e.ChangedByKind,
                e.ConversationId,
                e.GroupId,
                Parse(e.Before),
                Parse(e.After),
                e.Revision,
                e.OccurredAt,
                e.Sequence,
                Convert.ToHexStringLower(e.Hash))).ToList(),
            total,
            validPage,
            validPageSize));
    }

    /// <summary>One query, read as it streams: each entry with its member's and actor's usernames (primary-key lookups).</summary>
    private static async Task WriteCsvAsync(PermissionDbContext db, IQueryable<AuditEntry> entries, CsvExport.Rows rows, CancellationToken cancellationToken)
    {
        var named = entries.OrderBy(e => e.Sequence).Select(e => new
        {
            Entry = e,
            MemberUsername = db.Members.Where(m => m.Id == e.MemberId).Select(m => m.Username).FirstOrDefault(),
            ActorUsername = db.Members.Where(m => m.Id == e.ActorId).Select(m => m.Username).FirstOrDefault(),
        });
        var fields = new string?[CsvHeader.Count];
        await foreach (var row in named.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var e = row.Entry;
            fields[0] = CsvExport.Number(e.Sequence);
            fields[1] = CsvExport.Instant(e.OccurredAt);
            fields[2] = e.Action;
            fields[3] = CsvExport.Id(e.MemberId);
            fields[4] = CsvExport.Text(row.MemberUsername);
            fields[5] = CsvExport.Id(e.ActorId);
            fields[6] = CsvExport.Text(row.ActorUsername);
            fields[7] = CsvExport.Id(e.GroupId);
            fields[8] = CsvExport.Text(e.ConversationId);
            fields[9] = CsvExport.Number(e.Revision);
            fields[10] = e.Before;
            fields[11] = e.After;
            fields[12] = Convert.ToHexStringLower(e.Hash);
            await rows.WriteAsync(fields, cancellationToken);
        }
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
