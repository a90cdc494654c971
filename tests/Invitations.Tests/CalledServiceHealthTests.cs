using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>
/// The permission service, which invitation calls, in invitation's <c>/health</c>: shown, degraded while it does not
/// answer, and never a reason for invitation itself to be taken out of its load balancer (docs/operations.md#health).
/// </summary>
public sealed class CalledServiceHealthTests
{
    [Fact]
    public async Task The_permission_service_shows_degraded_in_health_while_it_does_not_answer_and_the_service_stays_ready()
    {
        var permissionAnswers = StatusCodes.Status200OK;
        var permission = await LoopbackWebApp.StartAsync(app => app.MapGet("/health", () => Results.StatusCode(permissionAnswers)));
        (HttpStatusCode, string?, string?) up, failing, gone;
        await using (var host = await InvitationHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["services:permission:http:0"] = permission.Address,
        }))
        {
            using var client = host.CreateClient();
            try
            {
                up = await HealthAsync(client);
                permissionAnswers = StatusCodes.Status503ServiceUnavailable;
                failing = await HealthAsync(client);
            }
            finally
            {
                await permission.DisposeAsync();
            }

            gone = await HealthAsync(client);
        }

        Assert.Equal((HttpStatusCode.OK, "Healthy", null), up);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "permission answered 503"), failing);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "permission did not answer"), gone);
    }

    private static async Task<(HttpStatusCode Status, string? Permission, string? Description)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        var check = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("permission");
        return (response.StatusCode, check.GetProperty("status").GetString(),
            check.TryGetProperty("description", out var description) ? description.GetString() : null);
    }
}
