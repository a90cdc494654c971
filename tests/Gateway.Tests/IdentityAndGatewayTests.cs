using System.Net;
using System.Net.Http.Headers;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Gateway.Edge;
using TeamPlatform.Identity.Tests;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// The real identity (on a socket) behind the real gateway, on one virtual host: the gateway reads identity's
/// discovery document and keys through service discovery, and refuses a blocked member's token once identity
/// announces it. Both fake clocks follow the real one (a test may move both ahead), since the gateway checks token lifetimes.
/// </summary>
public sealed class IdentityAndGatewayFixture : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _clocks = new();
    private Task _following = Task.CompletedTask;
    private long _aheadTicks;

    public IdentityHost Identity { get; private set; } = null!;

    public ServiceHost<GatewayOptions> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Identity = await IdentityHost.StartAsync(
            new Dictionary<string, string?> { [ServiceHost<GatewayOptions>.ExportedTelemetrySetting] = "true" }, kestrel: true);
        var identityUrl = Identity.CreateClient().BaseAddress!.ToString();
        Gateway = await ServiceHost<GatewayOptions>.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["Services:identity:http:0"] = identityUrl,
            // Permission's routes go to identity too, which answers 404: the gateway's own verdict shows.
            ["Services:permission:http:0"] = identityUrl,
            ["Services:invitation:http:0"] = identityUrl,
            ["ConnectionStrings:rabbitmq"] = Identity.Settings["ConnectionStrings:rabbitmq"],
            [ServiceHost<GatewayOptions>.TokenKeysSetting] = "identity",
            [ServiceHost<GatewayOptions>.ExportedTelemetrySetting] = "true",
        });
        _following = Task.Run(async () =>
        {
            while (!_clocks.IsCancellationRequested)
            {
                SetClocks();
                await Task.Delay(5);
            }
        });
    }

    /// <summary>Both clocks from now on run <paramref name="by"/> further ahead of the real one (set by the loop alone, never back).</summary>
    public async Task MoveClocksForwardAsync(TimeSpan by)
    {
        var target = DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Add(ref _aheadTicks, by.Ticks));
        while (Identity.Time.GetUtcNow() < target || Gateway.Time.GetUtcNow() < target)
        {
            await Task.Delay(5);
        }
    }

    public async Task DisposeAsync()
    {
        await _clocks.CancelAsync();
        await _following;
        await Gateway.DisposeAsync();
        await Identity.DisposeAsync();
    }

    public void Dispose() => _clocks.Dispose();

    private void SetClocks()
    {
        var now = DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _aheadTicks));
        Identity.Time.SetUtcNow(now);
        Gateway.Time.SetUtcNow(now);
    }
}

[CollectionDefinition(nameof(IdentityAndGatewayCollection))]
public sealed class IdentityAndGatewayCollection : ICollectionFixture<IdentityAndGatewayFixture>;

[Collection(nameof(IdentityAndGatewayCollection))]
public sealed class IdentityAndGatewayTests(IdentityAndGatewayFixture fixture)
{
    [Fact]
    public async Task The_gateway_accepts_identitys_tokens_and_refuses_them_once_the_member_is_blocked()
    {
        var identity = fixture.Identity;
        var org = await identity.CreateOrganisationAsync();
        var member = await identity.JoinAsync(org.Slug);
        var tokens = await identity.LoginAsync(org.Slug, member);

        var throughGateway = await Get("/api/org", tokens.AccessToken);
        var edgeBefore = await Get("/api/members", tokens.AccessToken);
        await identity.Bus.Publish(new MemberAccessChanged(org.Id, member.Id, MemberStatuses.Blocked, MemberStatuses.Active, false, "none", 2, org.Creator.Id, DateTimeOffset.UtcNow));
        var edgeAfter = await Eventually.Until(
            () => Get("/api/members", tokens.AccessToken),
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            timeout: TimeSpan.FromSeconds(5),
            what: "the gateway to refuse the blocked member's token");
        var creator = await identity.LoginAsync(org.Slug, org.Creator);

        Assert.Equal(HttpStatusCode.OK, throughGateway.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, edgeBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, edgeAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get("/api/org", creator.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_redeemed_again_after_the_grace_ends_the_session_at_the_gateway_too()
    {
        var identity = fixture.Identity;
        var org = await identity.CreateOrganisationAsync();
        var first = await identity.LoginAsync(org.Slug, org.Creator);
        var newer = await IdentityApi.TokensOf(await identity.RefreshAsync(first.RefreshToken!));
        var edgeBefore = await Get("/api/members", newer.AccessToken);

        // Past the 30-second grace for a client whose answer was lost: whoever holds the old token is not the owner.
        await fixture.MoveClocksForwardAsync(TimeSpan.FromSeconds(31));
        var replay = await identity.RefreshAsync(first.RefreshToken!);
        var edgeAfter = await Eventually.Until(
            () => Get("/api/members", newer.AccessToken),
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            timeout: TimeSpan.FromSeconds(5),
            what: "the gateway to refuse the newer access token of the ended session");

        // Identity answers 404 on /api/members: a 401 there is the gateway's own verdict.
        Assert.Equal(HttpStatusCode.NotFound, edgeBefore.StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(replay)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, edgeAfter.StatusCode);
    }

    [Fact]
    public async Task Discovery_through_the_gateway_names_the_configured_issuer_whatever_host_the_client_sends()
    {
        var client = fixture.Gateway.CreateClient();
        var plain = await client.GetStringAsync("/.well-known/openid-configuration");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        forged.Headers.Host = "evil.example:5080";
        forged.Headers.Add("X-Forwarded-Host", "evil.example:5080");
        var answer = await client.SendAsync(forged);

        Assert.Contains($"\"jwks_uri\": \"{TestTokens.Issuer}.well-known/jwks\"", plain);
        Assert.Contains($"\"token_endpoint\": \"{TestTokens.Issuer}connect/token\"", plain);
        Assert.Contains($"\"issuer\": \"{TestTokens.Issuer}\"", plain);
        Assert.Equal(plain, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bulk_invitation_upload_may_be_up_to_one_mebibyte_and_every_other_body_64_KiB()
    {
        var identity = fixture.Identity;
        var org = await identity.CreateOrganisationAsync();
        var tokens = await identity.LoginAsync(org.Slug, org.Creator);

        var bulk = await Post("/api/invitations/bulk?dryRun=true", 70 * 1024, tokens.AccessToken);
        var bulkTooLarge = await Post("/api/invitations/bulk?dryRun=true", (1024 * 1024) + 1, tokens.AccessToken);
        var invitation = await Post("/api/invitations", 70 * 1024, tokens.AccessToken);

        // Identity stands in for the invitation service: a body it receives is answered by it, not refused by the gateway.
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, bulk.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bulkTooLarge.StatusCode);
        Assert.Contains("1 MiB", await bulkTooLarge.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, invitation.StatusCode);
        Assert.Contains("64 KiB", await invitation.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_too_large_to_be_worth_reading_is_refused_unread_and_closes_its_connection()
    {
        var refused = await Post("/api/orgs", 5 * 1024 * 1024, TestTokens.ForMember(Guid.NewGuid(), Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose);
    }

    [Fact]
    public async Task Text_that_cannot_be_stored_is_refused_through_the_gateway_with_a_code_naming_the_member()
    {
        var body = $$"""{"name": "Hope\u0000", "slug": "{{IdentityApi.NewSlug()}}", "username": "amina", "phone": "{{TestPhones.New()}}", "password": "{{IdentityApi.Password}}"}""";

        var response = await fixture.Gateway.CreateClient().PostAsync("/api/orgs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("'name' contains the character U+0000 (NUL), which cannot be stored.", problem.GetProperty("detail").GetString());
    }

    private async Task<HttpResponseMessage> Post(string path, int bytes, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(new string('a', bytes), System.Text.Encoding.UTF8, "text/csv") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await fixture.Gateway.CreateClient().SendAsync(request);
    }

    private async Task<HttpResponseMessage> Get(string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await fixture.Gateway.CreateClient().SendAsync(request);
    }
}
