using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TeamPlatform.Notifications.Tests.Fakes;

/// <summary>
/// The permission service's <c>POST /internal/permissions/check</c> as docs/internal-api.md defines it,
/// answering for the members a test names; only calls carrying the internal key are answered.
/// </summary>
public static class PermissionStub
{
    public static void Answer(WireMockServer server, Guid orgId, Guid memberId, bool allowed, bool isAdmin) =>
        server.Given(Request.Create()
                .WithPath("/internal/permissions/check")
                .UsingPost()
                .WithHeader("X-Internal-Key", Testing.ServiceHost<Infrastructure.NotificationDbContext>.InternalKey)
                .WithBody((string? body) => body != null && body.Contains(memberId.ToString(), StringComparison.Ordinal)
                                            && body.Contains(orgId.ToString(), StringComparison.Ordinal)
                                            && body.Contains("\"permission\":\"admin_settings\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create()
                .WithStatusCode(200)
                .WithBodyAsJson(new
                {
                    allowed,
                    reason = isAdmin ? "admin" : allowed ? "granted" : "not_granted",
                    revision = 7,
                    status = "active",
                    isAdmin,
                }));
}
