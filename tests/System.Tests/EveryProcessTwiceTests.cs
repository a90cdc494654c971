using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using TeamPlatform.Internal;
using TeamPlatform.System.Tests.Faults;
using TeamPlatform.Testing;
using Xunit;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests;

/// <summary>Two of every process behind the edge: what one instance does, every other instance of its kind sees.</summary>
[Collection(nameof(SystemCollection))]
public sealed class EveryProcessTwiceTests(EveryProcessTwiceSystemFixture system)
{
    private readonly TeamPlatformClient _api = new(system.Gateway);

    [Fact]
    public async Task A_member_registered_through_the_edge_is_known_to_every_gateway_and_every_permission_instance()
    {
        var org = await _api.CreateOrganisationAsync();
        var member = await _api.RegisterAsync(org.Slug);
        await _api.SignInAsync(member, org.Slug);

        foreach (var gateway in new[] { ServiceNames.Gateway, "gateway-b" })
        {
            using var me = Authorized(HttpMethod.Get, "/api/me", member);
            await Expect(await system.Instance(gateway).SendAsync(me), HttpStatusCode.OK);
        }

        foreach (var permission in new[] { ServiceNames.Permission, "permission-b" })
        {
            using var members = Authorized(HttpMethod.Get, "/api/members", org.Creator);
            var answer = await system.Instance(permission).SendAsync(members);
            await Expect(answer, HttpStatusCode.OK);
            Assert.Contains(member.MemberId.ToString(), await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task One_gateway_of_two_killed_mid_load_leaves_clients_carrying_on_through_the_other()
    {
        var org = await _api.CreateOrganisationAsync();
        using var raw = new HttpClient { BaseAddress = system.App.GetEndpoint(ServiceNames.Edge, "http"), Timeout = TimeSpan.FromSeconds(20) };
        var processes = new ServiceProcesses(system.App);
        var answers = new List<(TimeSpan At, HttpStatusCode? Status, TimeSpan Took)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                HttpStatusCode? status = null;
                try
                {
                    using var me = Authorized(HttpMethod.Get, "/api/me", org.Creator);
                    using var response = await raw.SendAsync(me);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    // counted as an answer without a status
                }

                lock (answers)
                {
                    answers.Add((started, status, clock.Elapsed - started));
                }
            }
        })).ToList();

        TimeSpan killedAt;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await processes.KillAsync("gateway-b");
            killedAt = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(8));
        }
        finally
        {
            // The collection's other tests share this system: they get both gateways back.
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            await processes.StartAsync("gateway-b");
        }

        // Requests in flight when it died may fail; everything started a second after goes through the other gateway.
        var after = answers.Where(answer => answer.At > killedAt + TimeSpan.FromSeconds(1)).ToList();
        Assert.True(after.Count > 20, $"only {after.Count} requests after the kill");
        Assert.All(after, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.True(answers.Count(answer => answer.Status != HttpStatusCode.OK) <= 4,
            $"{answers.Count(answer => answer.Status != HttpStatusCode.OK)} failures; at most the 4 requests in flight");
        Assert.All(answers, answer => Assert.True(answer.Took < TimeSpan.FromSeconds(5), $"a request took {answer.Took}"));
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, Member member)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.AccessToken);
        return request;
    }
}
