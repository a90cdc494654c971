using System.Net;
using System.Net.Http.Json;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Identity.Tests;

/// <summary>The per-IP cap is low here (Development raises it for every other test); the per-phone cap is the default.</summary>
public sealed class LowIpCapFixture : IdentityFixture
{
    public const int IpCap = 3;

    protected override Dictionary<string, string?> Settings() => new(base.Settings()) { ["Identity:Otp:MaxCodesPerIpPerHour"] = $"{IpCap}" };
}

[CollectionDefinition(nameof(LowIpCapCollection))]
public sealed class LowIpCapCollection : ICollectionFixture<LowIpCapFixture>;

[Collection(nameof(LowIpCapCollection))]
public sealed class RateCapTests(LowIpCapFixture fixture)
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task One_phone_gets_at_most_five_codes_an_hour_whatever_asks_for_them()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            // Each from another address: the phone's cap holds whoever asks.
            answers.Add((await Post($"/api/orgs/{org.Slug}/registrations", new { username = "a", phone, password = IdentityApi.Password }, $"198.51.100.{i + 10}")).StatusCode);
        }

        var sixth = await Post($"/api/orgs/{org.Slug}/password-resets", new { phone }, "198.51.100.99");
        await Host.AdvanceAsync(TimeSpan.FromHours(1));
        var anHourLater = await Post($"/api/orgs/{org.Slug}/password-resets", new { phone }, "198.51.100.99");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("rate_limited", await IdentityApi.CodeOf(sixth));
        Assert.Equal(TimeSpan.FromHours(1), sixth.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, anHourLater.StatusCode);
    }

    [Fact]
    public async Task One_client_address_asks_for_a_limited_number_of_codes_an_hour()
    {
        var org = await Host.CreateOrganisationAsync();
        const string address = "203.0.113.7";
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < LowIpCapFixture.IpCap; i++)
        {
            answers.Add((await Post($"/api/orgs/{org.Slug}/registrations", new { username = "a", phone = TestPhones.New(), password = IdentityApi.Password }, address)).StatusCode);
        }

        var over = await Post($"/api/orgs/{org.Slug}/registrations", new { username = "a", phone = TestPhones.New(), password = IdentityApi.Password }, address);
        var otherAddress = await Post($"/api/orgs/{org.Slug}/registrations", new { username = "a", phone = TestPhones.New(), password = IdentityApi.Password }, "203.0.113.8");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("rate_limited", await IdentityApi.CodeOf(over));
        Assert.NotNull(over.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, otherAddress.StatusCode);
    }

    [Fact]
    public async Task A_code_guesser_gets_five_tries_on_each_of_five_codes_an_hour_per_phone_and_no_more()
    {
        var org = await Host.CreateOrganisationAsync();
        var phone = TestPhones.New();
        var registrationId = await IdentityApi.IdOf(
            await Post($"/api/orgs/{org.Slug}/registrations", new { username = "a", phone, password = IdentityApi.Password }, "198.51.100.200"), "registrationId");
        var answers = new List<string?>();
        var resends = new List<HttpStatusCode>();
        for (var code = 1; code <= 5; code++)
        {
            var right = (await Host.CodeFor(phone, nth: code)).Code;
            var wrong = right == "000000" ? "999999" : "000000";
            for (var guess = 0; guess < 5; guess++)
            {
                answers.Add(await IdentityApi.CodeOf(await Host.VerifyAsync(registrationId, wrong)));
            }

            // Each new code from another address: the phone's cap holds whoever asks.
            await Host.AdvanceAsync(TimeSpan.FromSeconds(30));
            resends.Add((await Post($"/api/registrations/{registrationId}/resend", new { }, $"198.51.100.{200 + code}")).StatusCode);
        }

        var lastCode = (await Host.CodeFor(phone, nth: 5)).Code;
        var rightButLocked = await Host.VerifyAsync(registrationId, lastCode);

        // 25 wrong guesses in the hour: each code locked at its fifth, and a sixth code refused.
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(_ => new[] { "otp_invalid", "otp_invalid", "otp_invalid", "otp_invalid", "otp_locked" }), answers);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], resends);
        Assert.Equal("otp_locked", await IdentityApi.CodeOf(rightButLocked));
        Assert.Equal(5, Host.Codes.Count(c => c.Phone == phone));
    }

    /// <summary>As the gateway forwards it: the client's address in X-Forwarded-For, and the key of a trusted proxy.</summary>
    private Task<HttpResponseMessage> Post(string path, object body, string clientAddress)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        client.DefaultRequestHeaders.Add("X-Proxy-Key", IdentityHost.ProxyKey);
        return client.PostAsJsonAsync(path, body);
    }
}
