using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TeamPlatform.Identity.Tests;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Testing;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

/// <summary>
/// What leaves the processes as telemetry (the records and spans their OpenTelemetry exporters send to the collector)
/// holds no phone number, one-time code, password or token, whether it travels in a body, a query or a path.
/// </summary>
[Collection(nameof(IdentityAndGatewayCollection))]
public sealed class TelemetryTests(IdentityAndGatewayFixture fixture)
{
    [Fact]
    public async Task Exported_logs_and_spans_hold_no_phone_code_password_or_token_from_a_body_a_query_or_a_path()
    {
        var gateway = fixture.Gateway.CreateClient();
        var slug = IdentityApi.NewSlug();
        var phone = TestPhones.New();
        var wrongPassword = "wrong-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9));
        var invitationToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        var started = await gateway.PostAsJsonAsync("/api/orgs", new { name = "Hope Chapel", slug, username = "founder", phone, password = IdentityApi.Password });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var code = (await fixture.Identity.CodeFor(phone)).Code;
        var verified = await gateway.PostAsJsonAsync($"/api/registrations/{await IdentityApi.IdOf(started, "registrationId")}/verify", new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PasswordGrant(gateway, slug, phone, wrongPassword)).StatusCode);
        var tokens = await IdentityApi.TokensOf(await PasswordGrant(gateway, slug, phone, IdentityApi.Password));
        using (var search = new HttpRequestMessage(HttpMethod.Get, $"/api/members?q={Uri.EscapeDataString(phone)}&page=1"))
        {
            search.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            await gateway.SendAsync(search);
        }

        await gateway.GetAsync($"/api/invitations/preview/{invitationToken}");
        await gateway.GetAsync($"/invite/{invitationToken}?phone={Uri.EscapeDataString(phone)}");

        // A server's span ends just after its answer is sent: wait for the gateway's and the service's spans of each request.
        var spans = await Eventually.Until(
            () => Task.FromResult(fixture.Gateway.Telemetry.Spans.Concat(fixture.Identity.Telemetry.Spans).Distinct().ToList()),
            all => new[] { "/api/members", "/api/invitations/preview/", "/invite/" }.All(path =>
                all.Any(span => span.Kind == ActivityKind.Server && $"{span.GetTagItem("url.path")}".StartsWith(path, StringComparison.Ordinal))
                && all.Any(span => span.Kind == ActivityKind.Client && $"{span.GetTagItem("url.full")}".Contains(path, StringComparison.Ordinal))),
            timeout: TimeSpan.FromSeconds(5),
            what: "the spans of the requests with a token in their path and a phone in their query");
        var exported = spans.Select(ExportedTelemetry.Render)
            .Concat(fixture.Gateway.Telemetry.LogRecords)
            .Concat(fixture.Identity.Telemetry.LogRecords)
            .ToList();

        var secrets = new[]
        {
            phone, phone.TrimStart('+'), Uri.EscapeDataString(phone), code, IdentityApi.Password, Uri.EscapeDataString(IdentityApi.Password),
            wrongPassword, invitationToken, tokens.AccessToken, tokens.RefreshToken!,
        };
        // Standing alone: six digits inside an id or a duration are not a code.
        var alone = secrets.Select(secret => new Regex($@"(?<![\w.]){Regex.Escape(secret)}(?![\w.])", RegexOptions.IgnoreCase)).ToList();
        var leaks = exported.Where(entry => alone.Any(secret => secret.IsMatch(entry))).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} exported records with a secret:\n" + string.Join("\n", leaks.Take(5).Select(l => l[..Math.Min(l.Length, 800)])));

        // The capture heard it all (an empty one would prove nothing), and the spans still say what was asked: the
        // route's template for the token, the query's keys without their values.
        Assert.NotEmpty(fixture.Identity.Telemetry.LogRecords);
        Assert.Contains(spans, span => $"{span.GetTagItem("url.path")}" == "/invite/{token}" && $"{span.GetTagItem("url.query")}" == "?phone=Redacted");
        Assert.Contains(spans, span => $"{span.GetTagItem("url.path")}" == "/api/invitations/preview/{token}");
        Assert.Contains(spans, span => $"{span.GetTagItem("url.path")}" == "/api/members" && $"{span.GetTagItem("url.query")}" == "?q=Redacted&page=Redacted");
        Assert.Contains(spans, span => $"{span.GetTagItem("url.full")}".EndsWith("/api/members?q=Redacted&page=Redacted", StringComparison.Ordinal));
        Assert.Contains(spans, span => $"{span.GetTagItem("url.full")}".EndsWith("/invite/{token}?phone=Redacted", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("?q=%2B254711000111&page=2", "?q=Redacted&page=Redacted")]
    [InlineData("q=a&flag&=b", "q=Redacted&flag&=Redacted")]
    [InlineData("?token=abc=def", "?token=Redacted")]
    public void A_query_keeps_its_keys_and_loses_its_values(string query, string traced) =>
        Assert.Equal(traced, TelemetryRedaction.RedactQuery(query));

    [Theory]
    [InlineData("http://console/invite/abc?phone=%2B254711000111", "http://console/invite/{token}?phone=Redacted")]
    [InlineData("http://invitation:8080/api/invitations/preview/abc", "http://invitation:8080/api/invitations/preview/{token}")]
    [InlineData("http://permission/api/members?q=0711", "http://permission/api/members?q=Redacted")]
    [InlineData("http://permission/api/members", "http://permission/api/members")]
    public void An_outgoing_address_keeps_its_route_and_loses_its_token_and_query_values(string address, string traced) =>
        Assert.Equal(traced, TelemetryRedaction.RedactUrl(new Uri(address)));

    [Fact]
    public void A_request_to_an_address_someone_else_chose_keeps_only_its_authority()
    {
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "https://hooks.example.org/services/T0001/B0002/s3cr3t?sig=abc");
        webhook.Options.Set(TelemetryRedaction.PathIsSecret, true);
        using var ours = new HttpRequestMessage(HttpMethod.Get, "http://permission/api/members?q=0711");

        Assert.Equal("https://hooks.example.org/{path}", TelemetryRedaction.TracedAddress(webhook));
        Assert.Equal("http://permission/api/members?q=Redacted", TelemetryRedaction.TracedAddress(ours));
    }

    private static Task<HttpResponseMessage> PasswordGrant(HttpClient gateway, string slug, string phone, string password) =>
        gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = phone, ["password"] = password, ["org"] = slug,
        }));
}
