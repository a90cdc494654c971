using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using static TeamPlatform.Testing.TeamPlatformClient;

namespace TeamPlatform.System.Tests.Faults;

/// <summary>
/// A steady mixed load through the gateway, as the product's users make it: people registering with a WhatsApp code,
/// admins changing access and inviting, invitees joining through their link, and permission checks. Each loop works in
/// one organisation on members of its own, so that a member's changes never overlap and the last answered one must
/// win. Every answer goes in the <see cref="Ledger"/>.
/// </summary>
public sealed class LoadDriver
{
    public sealed record Organisation(TeamPlatformClient.Org Org, string GroupA, string GroupB);

    private readonly HttpClient _gateway;
    private readonly IReadOnlyList<Organisation> _organisations;

    private LoadDriver(HttpClient gateway, IReadOnlyList<Organisation> organisations)
    {
        _gateway = gateway;
        _organisations = organisations;
    }

    public Ledger Ledger { get; } = new();

    public IReadOnlyList<Organisation> Organisations => _organisations;

    /// <summary>Organisations with two groups each, made before any fault.</summary>
    public static async Task<LoadDriver> PrepareAsync(HttpClient gateway, int organisations)
    {
        var api = new TeamPlatformClient(gateway);
        var prepared = new List<Organisation>();
        var attempts = 0;
        while (prepared.Count < organisations)
        {
            try
            {
                var org = await api.CreateOrganisationAsync();
                prepared.Add(new Organisation(org, await GroupAsync(api, org, "Ushers"), await GroupAsync(api, org, "Choir")));
            }
            catch (HttpRequestException exception) when (exception.Message.Contains(" answered 503", StringComparison.Ordinal) && ++attempts < 10)
            {
                // A busy machine: the gateway gave up waiting, as it should; a client tries again (a new organisation).
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        return new LoadDriver(gateway, prepared);
    }

    /// <summary>
    /// <paramref name="loops"/> concurrent loops of the mixed load until <paramref name="stop"/>; <paramref name="pause"/>
    /// between one loop's steps keeps the rate steady on a small machine.
    /// </summary>
    public Task RunAsync(int loops, TimeSpan pause, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, loops).Select(loop => Task.Run(() => LoopAsync(loop, pause, [Register, Change, Invite, Change, Check], stop))));

    /// <summary>Access changes only (and checks), until <paramref name="changes"/> have been asked in all.</summary>
    public Task RunAccessChangesAsync(int loops, int changes, TimeSpan pause, CancellationToken stop)
    {
        var asked = 0;
        return Task.WhenAll(Enumerable.Range(0, loops).Select(loop => Task.Run(async () =>
        {
            var own = new LoopState(_organisations[loop % _organisations.Count]);
            await SeedMembersAsync(own, 3, stop);
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref asked) <= changes)
            {
                await Change(own);
                await Task.Delay(pause, CancellationToken.None);
            }
        })));
    }

    private sealed class LoopState(Organisation organisation)
    {
        public Organisation Organisation { get; } = organisation;

        /// <summary>Members this loop made who are not admins: the ones whose access it changes.</summary>
        public List<Guid> Members { get; } = [];

        public int Step { get; set; }
    }

    private async Task LoopAsync(int loop, TimeSpan pause, Func<LoopState, Task>[] steps, CancellationToken stop)
    {
        var own = new LoopState(_organisations[loop % _organisations.Count]);
        await SeedMembersAsync(own, 1, stop);
        while (!stop.IsCancellationRequested)
        {
            await steps[own.Step++ % steps.Length](own);
            await Task.Delay(pause, CancellationToken.None);
        }
    }

    private async Task SeedMembersAsync(LoopState own, int count, CancellationToken stop)
    {
        while (own.Members.Count < count && !stop.IsCancellationRequested)
        {
            await Register(own);
        }
    }

    private async Task Register(LoopState own) => await JoinAsync(own, TestPhones.New(), invitation: null);

    /// <summary>Registration, the code from the development channel, verification: a member, recorded once verified.</summary>
    private async Task JoinAsync(LoopState own, string phone, (Guid Id, string Token)? invitation)
    {
        var org = own.Organisation.Org;
        var username = "load-" + Guid.NewGuid().ToString("N")[..8];
        var (status, started) = await SendAsync("registration", ServiceNames.Identity, HttpMethod.Post, $"/api/orgs/{org.Slug}/registrations", null,
            new { username, phone, password = Password, invitationToken = invitation?.Token });
        if (status != HttpStatusCode.Accepted)
        {
            return;
        }

        Ledger.CodeAsked(phone);
        var registrationId = started.GetProperty("registrationId").GetString()!;
        var code = await CodeAsync(phone);
        if (code is null)
        {
            return;
        }

        // A self-registering client told 503 gives up: the verification may have created the member in permission already,
        // and identity completes it from permission's event without the client (the audit finds every member's credential).
        // An invited one tries again, as the answer asks, while its code lives: a verification that consumed the invitation
        // and then failed before permission created the member is completed only by the next try (docs/reliability.md).
        var trying = Stopwatch.StartNew();
        while (trying.Elapsed < TimeSpan.FromSeconds(90))
        {
            var (verified, body) = await SendAsync("verification", ServiceNames.Identity, HttpMethod.Post, $"/api/registrations/{registrationId}/verify", null, new { code });
            if (verified == HttpStatusCode.OK)
            {
                var member = new Ledger.MemberWrite(org.OrgId, Guid.Parse(body.GetProperty("memberId").GetString()!), phone,
                    body.GetProperty("isAdmin").GetBoolean(), invitation?.Id);
                Ledger.Registered(member);
                if (!member.IsAdmin)
                {
                    own.Members.Add(member.MemberId);
                }

                return;
            }

            if (verified != HttpStatusCode.ServiceUnavailable || invitation is null)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The code the development channel delivered, asked for as a client would, for up to a minute.</summary>
    private async Task<string?> CodeAsync(string phone)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(60))
        {
            var (status, messages) = await SendAsync("development-inbox", ServiceNames.Notification, HttpMethod.Get,
                $"/api/dev/notifications?to={Uri.EscapeDataString(phone)}", null, null);
            if (status == HttpStatusCode.OK && messages.EnumerateArray().FirstOrDefault(m => m.GetProperty("template").GetString() == "otp") is
                { ValueKind: JsonValueKind.Object } otp)
            {
                return otp.GetProperty("variables").GetProperty("code").GetString();
            }

            await Task.Delay(300);
        }

        return null;
    }

    private static readonly string[] Roles = ["staff-a", "staff-b", "manager"];

    private async Task Change(LoopState own)
    {
        if (own.Members.Count == 0)
        {
            await Register(own);
            return;
        }

        var member = own.Members[Random.Shared.Next(own.Members.Count)];
        var organisation = own.Organisation;
        var (role, group) = Roles[Random.Shared.Next(Roles.Length)] switch
        {
            "staff-a" => ("staff", organisation.GroupA),
            "staff-b" => ("staff", organisation.GroupB),
            _ => ("manager", (string?)null),
        };
        object body = group is null ? new { role } : new { role, groupIds = new[] { group } };
        var (status, answer) = await SendAsync("access-change", ServiceNames.Permission, HttpMethod.Put, $"/api/members/{member}/access",
            organisation.Org.Creator, body);
        if (status == HttpStatusCode.OK)
        {
            Ledger.AccessAsked(new Ledger.AccessWrite(member, role, group, answer.GetProperty("revision").GetInt64()));
        }
        else if (status is HttpStatusCode.ServiceUnavailable or 0)
        {
            Ledger.AccessAsked(new Ledger.AccessWrite(member, role, group, null));
        }
    }

    private async Task Invite(LoopState own)
    {
        var organisation = own.Organisation;
        var phone = TestPhones.New();
        var (status, answer) = await SendAsync("invitation", ServiceNames.Invitation, HttpMethod.Post, "/api/invitations", organisation.Org.Creator,
            new { phone, access = new { role = "staff", groupIds = new[] { organisation.GroupA } } });
        if (status != HttpStatusCode.Created)
        {
            return;
        }

        var id = Guid.Parse(answer.GetProperty("id").GetString()!);
        Ledger.Invited(new Ledger.InvitationWrite(organisation.Org.OrgId, id, phone));
        var link = answer.GetProperty("link").GetString()!;
        await JoinAsync(own, phone, (id, link[(link.LastIndexOf('/') + 1)..]));
    }

    private async Task Check(LoopState own)
    {
        var organisation = own.Organisation;
        await SendAsync("permission-check", ServiceNames.Permission, HttpMethod.Post, "/api/permissions/check", organisation.Org.Creator,
            new { permission = "message_inbox", groupIds = new[] { organisation.GroupA } });
    }

    /// <summary>One request through the gateway, timed and recorded; answers the status (0 when none came) and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string route, string service, HttpMethod method, string path, Member? actor, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (actor is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", actor.AccessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var at = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _gateway.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
                ? JsonDocument.Parse(text).RootElement.Clone()
                : default;
            var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var c) ? c.GetString() : null;
            Ledger.Record(new Ledger.Answer(route, service, (int)response.StatusCode, code, clock.Elapsed, at, TimedOut: false, GatewayTiming.Of(response)));
            return (response.StatusCode, json);
        }
        catch (TaskCanceledException)
        {
            Ledger.Record(new Ledger.Answer(route, service, 0, null, clock.Elapsed, at, TimedOut: true));
            return (0, default);
        }
        catch (HttpRequestException exception)
        {
            Ledger.Record(new Ledger.Answer(route, service, 0, exception.Message, clock.Elapsed, at, TimedOut: false));
            return (0, default);
        }
    }

    private static async Task<string> GroupAsync(TeamPlatformClient api, TeamPlatformClient.Org org, string name)
    {
        var response = await api.SendAs(org.Creator, HttpMethod.Post, "/api/groups", new { name });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
