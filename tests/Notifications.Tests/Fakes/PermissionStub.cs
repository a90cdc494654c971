using System.Text.Json;
using TeamPlatform.Internal;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>
/// The permission service's <c>POST /internal/permissions/check</c> as docs/internal-api.md defines it (its own
/// records, TeamPlatform.Internal), answering for the members a test names; only calls carrying the internal key are answered.
/// </summary>
public static class PermissionStub
{
    public static void Answer(WireMockServer server, Guid orgId, Guid memberId, bool allowed, bool isAdmin) =>
        server.Given(CheckOf(orgId, memberId))
            .RespondWith(Response.Create()
                .WithStatusCode(200)
                .WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(
                    new PermissionCheckResponse(allowed, isAdmin ? "admin" : allowed ? "granted" : "not_granted", Revision: 7, "active", isAdmin),
                    JsonSerializerOptions.Web)));

    /// <summary>The check for this member is answered only after <paramref name="delay"/>: longer than any caller waits.</summary>
    public static void Hang(WireMockServer server, Guid orgId, Guid memberId, TimeSpan delay) =>
        server.Given(CheckOf(orgId, memberId))
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(delay));

    /// <summary><c>GET /internal/orgs/{orgId}/admins</c> answers these admins.</summary>
    public static void Admins(WireMockServer server, Guid orgId, params AdminContact[] admins) =>
        server.Given(Request.Create().WithPath($"/internal/orgs/{orgId}/admins").UsingGet()
                .WithHeader("X-Internal-Key", Testing.ServiceHost<Infrastructure.NotificationDbContext>.InternalKey))
            .RespondWith(Response.Create()
                .WithStatusCode(200)
                .WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new OrganisationAdminsResponse(admins), JsonSerializerOptions.Web)));

    private static IRequestBuilder CheckOf(Guid orgId, Guid memberId) => Request.Create()
        .WithPath("/internal/permissions/check")
        .UsingPost()
        .WithHeader("X-Internal-Key", Testing.ServiceHost<Infrastructure.NotificationDbContext>.InternalKey)
        .WithBody((string? body) => body is not null
                                    && JsonSerializer.Deserialize<PermissionCheckRequest>(body, JsonSerializerOptions.Web) is { } check
                                    && check.OrgId == orgId && check.MemberId == memberId && check.Permission == PermissionClient.AdminSettings);
}
