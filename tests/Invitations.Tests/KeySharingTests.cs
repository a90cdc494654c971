using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Invitations.Tests.Support;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Invitations.Tests;

/// <summary>
/// The token is kept encrypted with Data Protection keys stored in the invitation database: every replica, and
/// the service after a restart, gives the same link and accepts the same token.
/// </summary>
public sealed class KeySharingTests
{
    [Fact]
    public async Task Replicas_and_a_restarted_service_copy_the_same_link()
    {
        var first = await InvitationHost.StartAsync();
        try
        {
            await using var replica = await first.StartReplicaAsync();
            var org = await first.NewOrganisationAsync();
            var atReplica = replica.ForOrganisation(org.OrgId, org.Slug, org.Name);

            // Each replica encrypts one token and copies the link of the other.
            var invitedHere = await org.InviteAsync(TestPhones.New());
            var invitedThere = await atReplica.InviteAsync(TestPhones.New());
            Assert.Equal(invitedThere.Str("link"), await LinkAsync(org, invitedThere));
            Assert.Equal(invitedHere.Str("link"), await LinkAsync(atReplica, invitedHere));

            await first.DisposeAsync();
            await using var restarted = await InvitationHost.StartAsync(restartOf: first);
            var afterRestart = restarted.ForOrganisation(org.OrgId, org.Slug, org.Name);

            Assert.Equal(invitedHere.Str("link"), await LinkAsync(afterRestart, invitedHere));
            Assert.Equal(invitedThere.Str("link"), await LinkAsync(afterRestart, invitedThere));
            Assert.Equal(HttpStatusCode.OK, (await restarted.ValidateAsync(org.OrgId, invitedHere.Token(), invitedHere.Str("phone"))).StatusCode);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static async Task<string> LinkAsync(TestOrg org, JsonElement invitation) =>
        (await org.Client.GetFromJsonAsync<JsonElement>($"/api/invitations/{invitation.Id()}/link")).Str("link");
}
