using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

[Collection(nameof(IdentityCollection))]
public sealed class TokenTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task The_creator_logs_in_and_the_access_token_carries_identity_only()
    {
        var org = await Host.CreateOrganisationAsync();

        var tokens = await Host.LoginAsync(org.Slug, org.Creator);

        var access = tokens.Access;
        Assert.Equal(org.Creator.Id.ToString(), access.Subject);
        Assert.Equal(org.Id.ToString(), access.GetClaim("org").Value);
        Assert.True(Guid.TryParse(access.GetClaim("sid").Value, out _));
        Assert.True(access.TryGetClaim("iat", out _));
        Assert.Equal(TestTokens.Issuer, access.Issuer);
        Assert.Contains("teamplatform", access.Audiences);
        Assert.DoesNotContain(access.Claims, c => c.Type is "role" or "roles" or "permissions" or "is_admin");
        Assert.Equal("at+jwt", access.Typ); // RFC 9068
        Assert.NotNull(tokens.RefreshToken);
        var lifetime = access.ValidTo - access.IssuedAt;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

        var me = await Host.ClientWith(tokens).GetAsync("/api/org");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(org.Slug, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task A_login_stores_the_session_and_its_refresh_token_but_no_access_token()
    {
        var org = await Host.CreateOrganisationAsync();

        var tokens = await Host.LoginAsync(org.Slug, org.Creator);

        var sid = tokens.Access.GetClaim("sid").Value;
        var session = await Host.InDatabase(db => db.Sessions.SingleAsync(s => s.Id == Guid.Parse(sid)));
        var rows = await Host.InDatabase(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Authorization!.Id == session.AuthorizationId).Select(t => t.Type).ToListAsync());
        Assert.Equal(["urn:ietf:params:oauth:token-type:refresh_token"], rows);
        Assert.Equal(sid, session.AuthorizationId); // one authorization per session, under the session's id
    }
}

[Collection(nameof(IdentityCollection))]
public sealed class TokenRefusalTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_pending_member_is_refused_until_approved_then_logs_in()
    {
        var org = await Host.CreateOrganisationAsync();
        await Host.JoinAsync(org.Slug);
        var pending = await Host.JoinAsync(org.Slug);

        var refused = await Host.PasswordGrantAsync(org.Slug, pending.Phone, pending.Password);
        Host.Team.Approve(pending.Id);
        var approved = await Host.PasswordGrantAsync(org.Slug, pending.Phone, pending.Password);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("invalid_grant", "pending_approval"), await IdentityApi.OAuthErrorOf(refused));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Theory]
    [InlineData(MemberStatuses.Blocked, "access_blocked")]
    [InlineData(MemberStatuses.Removed, "invalid_credentials")]
    public async Task Blocked_and_removed_members_get_their_refusals(string status, string description)
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        Host.Team.SetStatus(member.Id, status);

        var response = await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password);

        Assert.Equal(("invalid_grant", description), await IdentityApi.OAuthErrorOf(response));
    }

    [Fact]
    public async Task A_refused_login_leaves_no_session_and_no_tokens_behind()
    {
        var org = await Host.CreateOrganisationAsync();
        await Host.JoinAsync(org.Slug);
        var pending = await Host.JoinAsync(org.Slug);

        var wrongPassword = await Host.PasswordGrantAsync(org.Slug, org.Creator.Phone, "not the password");
        var notApproved = await Host.PasswordGrantAsync(org.Slug, pending.Phone, pending.Password);

        Assert.Equal(("invalid_grant", "invalid_credentials"), await IdentityApi.OAuthErrorOf(wrongPassword));
        Assert.Equal(("invalid_grant", "pending_approval"), await IdentityApi.OAuthErrorOf(notApproved));
        foreach (var member in new[] { org.Creator.Id, pending.Id })
        {
            Assert.Equal(0, await Host.InDatabase(db => db.Sessions.CountAsync(s => s.MemberId == member)));
            Assert.Equal(0, await Host.InDatabase(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(a => a.Subject == member.ToString())));
            Assert.Equal(0, await Host.InDatabase(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == member.ToString())));
        }
    }

    [Fact]
    public async Task A_right_password_in_a_request_OpenIddict_refuses_gets_its_error_and_leaves_nothing_behind()
    {
        // The credential is read and the hash started before OpenIddict checks the rest of the request.
        var org = await Host.CreateOrganisationAsync();

        var unknownScope = await Host.RequestTokenAsync(new()
        {
            ["grant_type"] = "password",
            ["username"] = org.Creator.Phone,
            ["password"] = org.Creator.Password,
            ["org"] = org.Slug,
            ["scope"] = "everything",
        });

        Assert.Equal(HttpStatusCode.BadRequest, unknownScope.StatusCode);
        Assert.Equal("invalid_scope", (await IdentityApi.OAuthErrorOf(unknownScope)).Error);
        Assert.Equal(0, await Host.InDatabase(db => db.Sessions.CountAsync(s => s.MemberId == org.Creator.Id)));
        Assert.Equal(HttpStatusCode.OK, (await Host.PasswordGrantAsync(org.Slug, org.Creator.Phone, org.Creator.Password)).StatusCode);
    }

    [Fact]
    public async Task Strangers_wrong_organisations_and_malformed_phones_are_invalid_credentials()
    {
        var org = await Host.CreateOrganisationAsync();
        var other = await Host.CreateOrganisationAsync();

        var answers = new[]
        {
            await Host.PasswordGrantAsync(org.Slug, TestPhones.New(), IdentityApi.Password),
            await Host.PasswordGrantAsync(other.Slug, org.Creator.Phone, org.Creator.Password),
            await Host.PasswordGrantAsync("no-such-org", org.Creator.Phone, org.Creator.Password),
            await Host.PasswordGrantAsync(org.Slug, "0711234567", org.Creator.Password),
            await Host.RequestTokenAsync(new() { ["grant_type"] = "password", ["username"] = org.Creator.Phone, ["password"] = org.Creator.Password }),
        };

        foreach (var answer in answers)
        {
            Assert.Equal(("invalid_grant", "invalid_credentials"), await IdentityApi.OAuthErrorOf(answer));
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_five_minutes()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);

        var answers = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await IdentityApi.OAuthErrorOf(await Host.PasswordGrantAsync(org.Slug, member.Phone, "wrong password " + i))).Description);
        }

        var rightButLocked = await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password);
        await Host.AdvanceAsync(TimeSpan.FromMinutes(5));
        var afterLockout = await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password);

        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "account_locked"], answers);
        Assert.Equal(("invalid_grant", "account_locked"), await IdentityApi.OAuthErrorOf(rightButLocked));
        Assert.Equal(HttpStatusCode.OK, afterLockout.StatusCode);
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_are_all_counted()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Host.PasswordGrantAsync(org.Slug, member.Phone, "wrong password " + i)));
        var right = await Host.PasswordGrantAsync(org.Slug, member.Phone, member.Password);

        Assert.Equal(("invalid_grant", "account_locked"), await IdentityApi.OAuthErrorOf(right));
    }

    [Fact]
    public async Task A_refresh_asks_for_the_members_current_status()
    {
        var org = await Host.CreateOrganisationAsync();
        var member = await Host.JoinAsync(org.Slug);
        var tokens = await Host.LoginAsync(org.Slug, member);

        Host.Team.SetStatus(member.Id, MemberStatuses.Blocked);
        var refused = await Host.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(("invalid_grant", "access_blocked"), await IdentityApi.OAuthErrorOf(refused));
    }
}

[Collection(nameof(IdentityCollection))]
public sealed class RefreshAndClientTests(IdentityFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task Refresh_tokens_rotate_and_keep_the_session()
    {
        var org = await Host.CreateOrganisationAsync();
        var first = await Host.LoginAsync(org.Slug, org.Creator);

        await Host.AdvanceAsync(TimeSpan.FromMinutes(1));
        var response = await Host.RefreshAsync(first.RefreshToken!);
        var second = await IdentityApi.TokensOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(first.Access.GetClaim("sid").Value, second.Access.GetClaim("sid").Value);
        Assert.True(second.Access.IssuedAt > first.Access.IssuedAt);
    }

    [Fact]
    public async Task A_refresh_token_redeemed_again_after_the_grace_ends_the_session_and_its_newer_tokens()
    {
        var org = await Host.CreateOrganisationAsync();
        var first = await Host.LoginAsync(org.Slug, org.Creator);
        await Host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var second = await IdentityApi.TokensOf(await Host.RefreshAsync(first.RefreshToken!));
        var sid = second.Access.GetClaim("sid").Value;
        var newerWorked = await Host.ClientWith(second).GetAsync("/api/org");

        // Past the 30-second grace for a client whose answer was lost, reuse means the token was stolen.
        await Host.AdvanceAsync(TimeSpan.FromSeconds(31));
        var replay = await Host.RefreshAsync(first.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, newerWorked.StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(replay)).Error);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(second.RefreshToken!))).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.ClientWith(second).GetAsync("/api/org")).StatusCode);
        var ended = await Host.InDatabase(db => db.Sessions.SingleAsync(s => s.Id == Guid.Parse(sid)));
        Assert.Equal("refresh_token_reused", ended.EndReason);
        // Every gateway hears it, and refuses the newer access token too.
        var announced = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.SessionId == sid);
        Assert.Equal((org.Creator.Id, "refresh_token_reused"), (announced.MemberId, announced.Reason));
        Assert.True(announced.RevokedBefore >= second.Access.IssuedAt);
    }

    [Fact]
    public async Task A_refresh_token_redeemed_again_within_the_grace_keeps_the_session()
    {
        var org = await Host.CreateOrganisationAsync();
        var first = await Host.LoginAsync(org.Slug, org.Creator);
        await Host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var second = await IdentityApi.TokensOf(await Host.RefreshAsync(first.RefreshToken!));

        // A client whose answer was lost tries again with the token it still holds.
        await Host.AdvanceAsync(TimeSpan.FromSeconds(5));
        var retried = await Host.RefreshAsync(first.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.ClientWith(second).GetAsync("/api/org")).StatusCode);
        var session = await Host.InDatabase(db => db.Sessions.SingleAsync(s => s.Id == Guid.Parse(second.Access.GetClaim("sid").Value)));
        Assert.True(session.IsActive);
    }

    [Fact]
    public async Task Revoking_the_refresh_token_signs_out_and_announces_it()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        var sid = tokens.Access.GetClaim("sid").Value;

        var revoked = await Host.CreateClient().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.RefreshToken!,
            ["token_type_hint"] = "refresh_token",
        }));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("invalid_grant", (await IdentityApi.OAuthErrorOf(await Host.RefreshAsync(tokens.RefreshToken!))).Error);
        var ended = await Host.InDatabase(db => db.Sessions.SingleAsync(s => s.Id == Guid.Parse(sid)));
        Assert.Equal("signed_out", ended.EndReason);
        var status = await Host.InDatabase(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().SingleAsync(a => a.Id == ended.AuthorizationId));
        Assert.Equal("revoked", status.Status);
        var announced = await Host.Bus.WaitFor<MemberSessionsRevoked>(e => e.SessionId == sid);
        Assert.Equal((org.Creator.Id, "signed_out"), (announced.MemberId, announced.Reason));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.ClientWith(tokens).GetAsync("/api/org")).StatusCode);
    }

    [Fact]
    public async Task An_access_token_cannot_be_revoked_on_its_own_and_keeps_working()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);

        var revoked = await Host.CreateClient().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.AccessToken,
        }));

        Assert.Equal(("unsupported_token_type", "This token cannot be revoked."), await IdentityApi.OAuthErrorOf(revoked));
        Assert.Equal(HttpStatusCode.OK, (await Host.ClientWith(tokens).GetAsync("/api/org")).StatusCode);
    }

    [Fact]
    public async Task A_service_client_gets_a_permissions_check_token_without_an_organisation()
    {
        var response = await Host.RequestTokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityFixture.ClientId,
            ["client_secret"] = IdentityFixture.ClientSecret,
            ["scope"] = "permissions.check",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await IdentityApi.TokensOf(response);
        Assert.Null(tokens.RefreshToken);
        Assert.Equal(IdentityFixture.ClientId, tokens.Access.Subject);
        Assert.Equal("permissions.check", tokens.Access.GetClaim("scope").Value);
        Assert.False(tokens.Access.TryGetClaim("org", out _));
        Assert.Contains("teamplatform", tokens.Access.Audiences);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.ClientWith(tokens).GetAsync("/api/me")).StatusCode);
    }

    [Theory]
    [InlineData("wrong-secret-0123456789abcdef0123456789", "permissions.check", "invalid_client")]
    [InlineData(IdentityFixture.ClientSecret, "admin", "invalid_scope")]
    public async Task Service_clients_are_authenticated_and_limited_to_their_scopes(string secret, string scope, string error)
    {
        var response = await Host.RequestTokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityFixture.ClientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });

        Assert.Equal(error, (await IdentityApi.OAuthErrorOf(response)).Error);
    }

    [Fact]
    public async Task Discovery_names_the_configured_issuer_whatever_host_the_request_names()
    {
        var plain = await DiscoveryAsync(_ => { });
        var forgedHost = await DiscoveryAsync(request => request.Headers.Host = "evil.example:5080");
        var forgedForwarding = await DiscoveryAsync(request =>
        {
            request.Headers.Add("X-Forwarded-Host", "evil.example:5080");
            request.Headers.Add("X-Forwarded-Proto", "https");
        });
        var forwardedByTheGateway = await DiscoveryAsync(request =>
        {
            request.Headers.Add("X-Forwarded-Host", "evil.example:5080");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Proxy-Key", IdentityHost.ProxyKey);
        });

        Assert.Equal(TestTokens.Issuer, plain.GetProperty("issuer").GetString());
        Assert.Equal(TestTokens.Issuer + ".well-known/jwks", plain.GetProperty("jwks_uri").GetString());
        Assert.Equal(TestTokens.Issuer + "connect/token", plain.GetProperty("token_endpoint").GetString());
        Assert.Equal(TestTokens.Issuer + "connect/revoke", plain.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(plain.GetRawText(), forgedHost.GetRawText());
        Assert.Equal(plain.GetRawText(), forgedForwarding.GetRawText());
        Assert.Equal(plain.GetRawText(), forwardedByTheGateway.GetRawText());
    }

    [Fact]
    public async Task Discovery_is_an_authorization_server_document_that_promises_only_what_the_server_does()
    {
        var discovery = await DiscoveryAsync(_ => { });
        string?[] Values(string member) => [.. discovery.GetProperty(member).EnumerateArray().Select(value => value.GetString())];

        // RFC 8414, section 2: issuer, token_endpoint (password and client-credentials grants), jwks_uri, response_types_supported.
        Assert.Equal(JsonValueKind.String, discovery.GetProperty("issuer").ValueKind);
        Assert.Equal(JsonValueKind.String, discovery.GetProperty("token_endpoint").ValueKind);
        Assert.Equal(JsonValueKind.String, discovery.GetProperty("jwks_uri").ValueKind);
        Assert.Empty(Values("response_types_supported")); // no authorization endpoint, so no response type
        Assert.False(discovery.TryGetProperty("authorization_endpoint", out _));
        Assert.Equal(["client_credentials", "password", "refresh_token"], Values("grant_types_supported").Order());
        Assert.Equal(["offline_access", "permissions.check"], Values("scopes_supported").Order());
        string[] openIdConnectOnly =
        [
            "subject_types_supported", "id_token_signing_alg_values_supported", "claims_supported", "userinfo_endpoint",
            "prompt_values_supported", "claims_parameter_supported", "request_parameter_supported", "request_uri_parameter_supported",
            "require_pushed_authorization_requests", "authorization_response_iss_parameter_supported",
        ];
        foreach (var member in openIdConnectOnly)
        {
            Assert.False(discovery.TryGetProperty(member, out _), $"{member}: no ID token and no authorization endpoint");
        }
    }

    [Fact]
    public async Task Asking_for_openid_is_refused_since_no_id_token_is_issued()
    {
        var org = await Host.CreateOrganisationAsync();

        var response = await Host.RequestTokenAsync(new()
        {
            ["grant_type"] = "password",
            ["username"] = org.Creator.Phone,
            ["password"] = org.Creator.Password,
            ["org"] = org.Slug,
            ["scope"] = "openid offline_access",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (await IdentityApi.OAuthErrorOf(response)).Error);
    }

    private async Task<JsonElement> DiscoveryAsync(Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        shape(request);
        var response = await Host.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Another_process_validates_access_tokens_with_the_published_keys()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        var jwks = await Host.CreateClient().GetStringAsync("/.well-known/jwks");

        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(tokens.AccessToken, new()
        {
            ValidIssuer = TestTokens.Issuer,
            ValidAudience = "teamplatform",
            IssuerSigningKeys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwks).GetSigningKeys(),
            ValidateLifetime = false, // the fake clock is months behind the real one
        });

        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task A_second_replica_on_the_same_database_shares_the_keys_and_the_sessions()
    {
        var org = await Host.CreateOrganisationAsync();
        var tokens = await Host.LoginAsync(org.Slug, org.Creator);
        await using var replica = await IdentityHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = Host.Settings["ConnectionStrings:identitydb"],
        }, team: Host.Team);
        replica.Time.SetUtcNow(Host.Time.GetUtcNow());

        var jwksHere = await Host.CreateClient().GetStringAsync("/.well-known/jwks");
        var jwksThere = await replica.CreateClient().GetStringAsync("/.well-known/jwks");
        var acceptedThere = await replica.ClientWith(tokens).GetAsync("/api/org");
        var refreshedThere = await replica.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(jwksHere, jwksThere);
        Assert.Equal(HttpStatusCode.OK, acceptedThere.StatusCode);
        Assert.True(refreshedThere.IsSuccessStatusCode, await refreshedThere.Content.ReadAsStringAsync());
    }
}
