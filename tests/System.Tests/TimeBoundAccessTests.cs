using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>
/// docs/permissions.md#time-bound-access through the gateway, on two of every process: a temporary manager is denied
/// by every permission replica from the instant their access ends, the end is audited without an actor, and they are told.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class TimeBoundAccessTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task A_temporary_manager_loses_the_access_on_every_replica_when_it_ends_and_is_told()
    {
        var org = await _api.CreateOrganisationAsync();
        var kofi = await _api.MemberWithAccessAsync(org, new { role = "staff" }, "kofi");
        await _api.SignInAsync(kofi, org.Slug);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(6);

        var grant = await _api.SendAs(org.Creator, HttpMethod.Put, $"/api/members/{kofi.MemberId}/access", new { role = "manager", expiresAt });
        await Expect(grant, HttpStatusCode.OK);
        var granted = await grant.Content.ReadFromJsonAsync<JsonElement>();
        var revision = granted.GetProperty("revision").GetInt64();
        Assert.Equal("staff", granted.GetProperty("member").GetProperty("access").GetProperty("then").GetProperty("role").GetString());
        Assert.True(await AllowedAsync(kofi, revision), "the temporary manager may see measures while the access lasts");

        var wait = expiresAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        // Round robin over both permission replicas: each answers by the clock, whether or not the end is recorded yet.
        for (var i = 0; i < 4; i++)
        {
            Assert.False(await AllowedAsync(kofi, revision), $"check {i} after the end still allowed");
        }

        // The end is recorded within a second (allowing for a busy machine).
        var entry = await Eventually.Until(
            async () => (await _api.GetJson(org.Creator, $"/api/audit?memberId={kofi.MemberId}&pageSize=20")).GetProperty("items").EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("action").GetString() == "access_expired"),
            e => e.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(10),
            "the end's audit entry");
        Assert.Equal(("expiry", JsonValueKind.Null), (entry.GetProperty("changedByKind").GetString(), entry.GetProperty("actorId").ValueKind));
        var view = await _api.GetJson(org.Creator, $"/api/members/{kofi.MemberId}");
        Assert.Equal(("staff", JsonValueKind.Null), (view.GetProperty("role").GetString(), view.GetProperty("accessExpiresAt").ValueKind));
        var message = await _api.LatestMessageAsync(kofi.Phone, "access_expired");
        Assert.Contains("temporary access", message.GetProperty("body").GetString());
    }

    private async Task<bool> AllowedAsync(Member member, long minRevision)
    {
        var response = await _api.SendAs(member, HttpMethod.Post, "/api/permissions/check", new { permission = "measure", minRevision });
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean();
    }
}
