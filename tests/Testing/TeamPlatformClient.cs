using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeamPlatform.Testing;

/// <summary>
/// What a person or a client application does through the gateway, in the words of the API: create an
/// organisation, register, read the code the development channel "delivered", verify, log in. Used by the
/// system tests and by the load driver's set-up.
/// </summary>
public sealed class TeamPlatformClient(HttpClient gateway)
{
    public const string Password = "correct horse battery";

    public HttpClient Gateway { get; } = gateway;

    public sealed record Org(string Slug, Guid OrgId, Member Creator);

    public sealed record Member(Guid MemberId, string Username, string Phone, string Status, bool IsAdmin)
    {
        public string? AccessToken { get; set; }

        public string? RefreshToken { get; set; }
    }

    public static string NewSlug() => "org-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates an organisation and verifies its creator; answers the creator signed in.</summary>
    public async Task<Org> CreateOrganisationAsync(string? slug = null, string username = "founder")
    {
        slug ??= NewSlug();
        var phone = TestPhones.New();
        var created = await Gateway.PostAsJsonAsync("/api/orgs", new { name = $"Org {slug}", slug, username, phone, password = Password });
        await Expect(created, HttpStatusCode.Accepted);
        var registrationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString()!;
        var creator = await VerifyAsync(registrationId, phone, username);
        await SignInAsync(creator, slug);
        return new Org(slug, Guid.Parse(ClaimOf(creator.AccessToken!, "org")), creator);
    }

    /// <summary>Self-registers and verifies with the code from the development channel.</summary>
    public async Task<Member> RegisterAsync(string slug, string? username = null, string? phone = null, string? invitationToken = null)
    {
        username ??= "member-" + Guid.NewGuid().ToString("N")[..6];
        phone ??= TestPhones.New();
        // A long-lived database (a benchmark's) may hold a code sent to the same number long ago: wait for a newer one.
        var earlierCodes = (await Gateway.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={Uri.EscapeDataString(phone)}"))
            .EnumerateArray().Count(m => m.GetProperty("template").GetString() == "otp");
        var registrationId = await StartRegistrationAsync(slug, username, phone, invitationToken);
        return await VerifyAsync(registrationId, phone, username, earlierCodes);
    }

    /// <summary>
    /// A member of <paramref name="org"/> with the access given, approved by its creator. A first registration takes the
    /// organisation's one automatic admin place, so that this member waits for approval like anyone after.
    /// </summary>
    public async Task<Member> MemberWithAccessAsync(Org org, object access, string? username = null)
    {
        await RegisterAsync(org.Slug);
        var member = await RegisterAsync(org.Slug, username);
        await Expect(await SendAs(org.Creator, HttpMethod.Put, $"/api/members/{member.MemberId}/access", access), HttpStatusCode.OK);
        return member;
    }

    public async Task<string> StartRegistrationAsync(string slug, string username, string phone, string? invitationToken = null)
    {
        var response = await Gateway.PostAsJsonAsync($"/api/orgs/{slug}/registrations",
            new { username, phone, password = Password, invitationToken });
        await Expect(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString()!;
    }

    public async Task<Member> VerifyAsync(string registrationId, string phone, string username, int earlierCodes = 0)
    {
        var code = await LatestCodeAsync(phone, skipOlderThan: earlierCodes);
        var response = await Gateway.PostAsJsonAsync($"/api/registrations/{registrationId}/verify", new { code });
        await Expect(response, HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Member(
            Guid.Parse(body.GetProperty("memberId").GetString()!),
            username,
            phone,
            body.GetProperty("status").GetString()!,
            body.GetProperty("isAdmin").GetBoolean());
    }

    /// <summary>The newest message the development channel delivered to <paramref name="phone"/>.</summary>
    public async Task<JsonElement> LatestMessageAsync(string phone, string template, int skipOlderThan = 0)
    {
        return await Eventually.Until(
            async () =>
            {
                var items = await Gateway.GetFromJsonAsync<JsonElement>($"/api/dev/notifications?to={Uri.EscapeDataString(phone)}");
                var matching = items.EnumerateArray().Where(m => m.GetProperty("template").GetString() == template).ToList();
                return matching.Count > skipOlderThan ? matching[0] : default;
            },
            message => message.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(20),
            $"a '{template}' message to the phone");
    }

    public async Task<string> LatestCodeAsync(string phone, string template = "otp", int skipOlderThan = 0) =>
        (await LatestMessageAsync(phone, template, skipOlderThan)).GetProperty("variables").GetProperty("code").GetString()!;

    /// <summary>The password grant; answers the raw response so refusals can be asserted.</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(string slug, string phone, string password = Password) =>
        Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = phone,
            ["password"] = password,
            ["org"] = slug,
            ["scope"] = "offline_access",
        }));

    public async Task SignInAsync(Member member, string slug)
    {
        var response = await RequestTokenAsync(slug, member.Phone);
        await Expect(response, HttpStatusCode.OK);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        member.AccessToken = tokens.GetProperty("access_token").GetString();
        member.RefreshToken = tokens.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null;
    }

    /// <summary>A claim of a JWT, read without validating it (the gateway and services validate).</summary>
    public static string ClaimOf(string jwt, string claim)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
        return document.RootElement.GetProperty(claim).ToString();
    }

    public static async Task<string?> OAuthErrorOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("error_description", out var description) ? description.GetString() : null;
    }

    public Task<HttpResponseMessage> SendAs(Member member, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.AccessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Gateway.SendAsync(request);
    }

    public async Task<JsonElement> GetJson(Member member, string path)
    {
        var response = await SendAs(member, HttpMethod.Get, path);
        await Expect(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered " +
                        $"{(int)response.StatusCode}, expected {(int)status}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
