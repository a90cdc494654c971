using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Identity.Tests;
using TeamPlatform.Testing;

// Measures in one run on this machine (real PostgreSQL and RabbitMQ, identity on Kestrel with permission stood in):
// 1. a password grant against the password hash alone (goal: login ÷ hash ≤ 1.1);
// 2. the time from a member's block (MemberAccessChanged) to the gateway refusing their access token (goal p99 ≤ 250 ms).
const int Logins = 100;
const int Blocks = 100;

// WebApplicationFactory finds a service's content root through the test manifest only for test assemblies.
foreach (var (assembly, root) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(
             File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")))!)
{
    var name = assembly.Split(',')[0].Replace('.', '_').ToUpperInvariant();
    Environment.SetEnvironmentVariable($"ASPNETCORE_TEST_CONTENTROOT_{name}", root);
}

await using var identity = await IdentityHost.StartAsync(kestrel: true);
using var clocks = new CancellationTokenSource();
await using var gateway = await ServiceHost<GatewayOptions>.StartAsync("gateway", new Dictionary<string, string?>
{
    ["Services:identity:http:0"] = identity.CreateClient().BaseAddress!.ToString(),
    // Permission is not running: its routes go to identity, which answers 404 at once (no name lookups to wait for).
    ["Services:permission:http:0"] = identity.CreateClient().BaseAddress!.ToString(),
    ["ConnectionStrings:rabbitmq"] = identity.Settings["ConnectionStrings:rabbitmq"],
});
// Both hosts have fake clocks; here they follow the real one.
var following = Task.Run(async () =>
{
    while (!clocks.IsCancellationRequested)
    {
        var now = DateTimeOffset.UtcNow;
        identity.Time.SetUtcNow(now);
        gateway.Time.SetUtcNow(now);
        await Task.Delay(1);
    }
});
await Task.Delay(100);

var org = await identity.CreateOrganisationAsync();
var member = await identity.JoinAsync(org.Slug);

// 1. Login ÷ hash, alternating so that both see the same machine load.
var hasher = new PasswordHasher<object>();
var hash = hasher.HashPassword(new object(), member.Password);
var login = new List<double>();
var hashing = new List<double>();
for (var i = 0; i < Logins + 5; i++)
{
    var watch = Stopwatch.StartNew();
    hasher.VerifyHashedPassword(new object(), hash, member.Password);
    var hashed = watch.Elapsed.TotalMilliseconds;
    watch.Restart();
    var response = await identity.PasswordGrantAsync(org.Slug, member.Phone, member.Password);
    var loggedIn = watch.Elapsed.TotalMilliseconds;
    response.EnsureSuccessStatusCode();
    if (i >= 5)
    {
        hashing.Add(hashed);
        login.Add(loggedIn);
    }
}

Console.WriteLine($"password hash alone   p50 {P(hashing, 50):F1} ms  p99 {P(hashing, 99):F1} ms");
Console.WriteLine($"password grant        p50 {P(login, 50):F1} ms  p99 {P(login, 99):F1} ms");
Console.WriteLine($"login ÷ hash (p50)    {P(login, 50) / P(hashing, 50):F2}");

// 2. Block → gateway refuses. /api/members is permission's route, here answered 404 by identity: a token the gateway
// accepts gets 404, one it refuses 401 — so the refusal is the gateway's own (identity would also refuse at once).
var edge = gateway.CreateClient();
var refusal = new List<double>();
for (var i = 0; i < Blocks; i++)
{
    var tokens = await identity.LoginAsync(org.Slug, member);
    if (await StatusAsync(tokens.AccessToken) == HttpStatusCode.Unauthorized)
    {
        throw new InvalidOperationException("A fresh token was refused before the block.");
    }

    var watch = Stopwatch.StartNew();
    await identity.Bus.Publish(new MemberAccessChanged(org.Id, member.Id, MemberStatuses.Blocked, MemberStatuses.Active, false, "none", i, null, DateTimeOffset.UtcNow));
    while (await StatusAsync(tokens.AccessToken) != HttpStatusCode.Unauthorized)
    {
        if (watch.Elapsed > TimeSpan.FromSeconds(10))
        {
            throw new TimeoutException("The gateway did not refuse the token within 10 s.");
        }
    }

    refusal.Add(watch.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"block → gateway 401   p50 {P(refusal, 50):F1} ms  p99 {P(refusal, 99):F1} ms  max {refusal.Max():F1} ms  (n = {Blocks})");
await clocks.CancelAsync();
await following;

async Task<HttpStatusCode> StatusAsync(string accessToken)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/members");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    using var response = await edge.SendAsync(request);
    return response.StatusCode;
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
