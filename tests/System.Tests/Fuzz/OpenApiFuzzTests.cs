using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using TeamPlatform.Testing;
using TeamPlatform.Testing.OpenApi;
using Xunit;
using Xunit.Abstractions;

namespace TeamPlatform.System.Tests.Fuzz;

/// <summary>
/// A generated fuzz over every operation of the four services' OpenAPI documents, through the gateway
/// (docs/decisions/0014-generated-fuzz.md). Seeded: <c>TP_FUZZ_SEED</c> replays a run's requests.
/// </summary>
[Collection(nameof(SystemCollection))]
public sealed class OpenApiFuzzTests(EveryProcessTwiceSystemFixture system, ITestOutputHelper output)
{
    public const ulong DefaultSeed = 20_261_203;
    public const int MinimumRequests = 5_000;

    /// <summary>The error table of docs/product.md#errors: the codes each 4xx status may carry.</summary>
    private static readonly Dictionary<int, string[]> ErrorTable = new()
    {
        [400] = ["validation_failed", "invalid_phone", "weak_password", "chatbot_number", "otp_invalid", "otp_expired", "otp_locked"],
        [401] = ["unauthenticated"],
        [403] = ["forbidden", "escalation", "registration_closed", "invitation_phone_mismatch"],
        [404] = ["not_found"],
        [405] = ["method_not_allowed"],
        [409] = ["slug_taken", "phone_taken", "already_member", "last_admin", "invitation_used", "invitation_not_expired", "invitation_expired", "invitation_revoked", "conflict"],
        [410] = ["invitation_expired", "invitation_revoked"],
        [413] = ["payload_too_large"],
        [415] = ["unsupported_media_type"],
        [422] = ["idempotency_key_reused"],
        [429] = ["rate_limited"],
    };

    private const string BulkInvitationsPath = "/api/invitations/bulk";

    private static readonly string[] Services = ["identity", "permission", "invitation", "notification"];

    private static readonly Caller[] WithoutAValidToken = [Caller.Anonymous, Caller.SignedOut, Caller.Expired, Caller.Forged];

    [Fact]
    public async Task Generated_requests_over_every_documented_operation_get_documented_answers_and_change_nothing_they_should_not()
    {
        var seed = Environment.GetEnvironmentVariable("TP_FUZZ_SEED") is { Length: > 0 } given
            ? ulong.Parse(given, CultureInfo.InvariantCulture)
            : DefaultSeed;
        var documents = new Dictionary<string, ApiDocument>();
        foreach (var service in Services)
        {
            documents[service] = await ApiDocument.ReadAsync(system.Gateway, $"/openapi/{service}.json");
        }

        var client = new TeamPlatformClient(system.Gateway);
        var seeding = Stopwatch.StartNew();
        var (world, a, b) = await SeedAsync(client);
        seeding.Stop();
        var before = (A: await a.SnapshotAsync(), B: await b.SnapshotAsync());

        var operations = documents.SelectMany(d => d.Value.Operations.Select(o => (d.Key, o.Path, o.Method, o.Operation))).ToList();
        var perOperation = (int)Math.Ceiling((double)MinimumRequests / operations.Count);
        var requests = new RequestGenerator(world, seed).Generate(operations, perOperation);

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        // Phones belong to people, not to an organisation: a phone of B that some request invites into A (as anyone may) is
        // A's to list from then on. B's other phones, and all of B's ids, must never appear in A's answers.
        var invitedAnywhere = world.B.Phones
            .Where(phone => requests.Any(r => r.Body is { } sentBody && Encoding.UTF8.GetString(sentBody).Replace("\\u002B", "+", StringComparison.Ordinal).Contains(phone, StringComparison.Ordinal)))
            .ToHashSet();
        var victim = world.B.Identifiers.Where(id => !invitedAnywhere.Contains(id)).ToList();
        // No resilience handler: a retried 5xx or 429 would hide what the system answered.
        using var gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
        {
            BaseAddress = system.Gateway.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, cancellationToken) =>
        {
            try
            {
                using var message = request.ToMessage();
                using var response = await gateway.SendAsync(message, cancellationToken);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, count) => count + 1);
                foreach (var problem in await JudgeAsync(documents[request.Service], request, response, victim))
                {
                    failures.Enqueue($"{problem}\n  {request}\n  answered {(int)response.StatusCode}: {Excerpt(await response.Content.ReadAsStringAsync(cancellationToken))}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"No answer ({exception.GetType().Name}: {exception.Message} {exception.InnerException?.Message})\n  {request}");
            }
        });
        clock.Stop();

        var after = (A: await a.SnapshotAsync(), B: await b.SnapshotAsync());
        if (after.A != before.A)
        {
            failures.Enqueue($"A refused request changed organisation A:\n{Difference(before.A, after.A)}");
        }

        if (after.B != before.B)
        {
            failures.Enqueue($"Requests of other organisations changed organisation B:\n{Difference(before.B, after.B)}");
        }

        // Every failure, for reading beside the first few the assertion shows.
        Directory.CreateDirectory("TestResults");
        await File.WriteAllLinesAsync(Path.Combine("TestResults", "fuzz-failures.txt"), failures);
        output.WriteLine($"Seeded three organisations in {seeding.Elapsed.TotalSeconds:N1} s.");
        output.WriteLine($"Seed {seed}: {requests.Count:N0} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:N1} s; " +
                         $"answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}"))}");
        Assert.True(requests.Count >= MinimumRequests);
        Assert.True(failures.IsEmpty,
            $"Seed {seed} (replay: TP_FUZZ_SEED={seed} dotnet test tests/System.Tests --filter FullyQualifiedName~Fuzz): " +
            $"{failures.Count} failures, the first 25:\n\n{string.Join("\n\n", failures.Take(25))}");
    }

    /// <summary>What is wrong with <paramref name="response"/> as an answer to <paramref name="request"/>.</summary>
    private static async Task<IReadOnlyList<string>> JudgeAsync(ApiDocument api, FuzzRequest request, HttpResponseMessage response, IReadOnlyList<string> victim)
    {
        var problems = new List<string>();
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            problems.Add($"A {status}.");
        }

        try
        {
            problems.AddRange(await api.ConformanceErrorsAsync(request.Method, request.PathTemplate, response));
        }
        catch (JsonException)
        {
            problems.Add($"{status} is not the JSON its media type ({response.Content.Headers.ContentType}) says.");
        }

        var path = request.PathAndQuery.Split('?')[0];
        var sent = (Uri.UnescapeDataString(request.PathAndQuery) + (request.Body is null ? "" : Encoding.UTF8.GetString(request.Body)))
            .Replace("\\u002B", "+", StringComparison.Ordinal);
        if (status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = JsonDocument.Parse(body).RootElement;
            var code = problem.TryGetProperty("code", out var member) ? member.GetString() : null;
            if (!ErrorTable.TryGetValue(status, out var codes) || !codes.Contains(code))
            {
                problems.Add($"A {status} with code '{code}', which the error table does not give that status.");
            }

            // What the problem says, in the API's words: never a .NET type or declaration (unless the request sent it).
            var words = (problem.TryGetProperty("detail", out var detail) ? detail.GetString() : "") +
                        (problem.TryGetProperty("errors", out var errors) ? errors.GetRawText() : "");
            if (ValidationProblems.DotNetWordIn(words) is { } dotnet && !sent.Contains(dotnet, StringComparison.Ordinal))
            {
                problems.Add($"A {status} whose words name .NET ('{dotnet}').");
            }
        }

        var succeeded = status is >= 200 and < 300;
        // Checks and previews answer questions: they change nothing, whatever they are asked about.
        var isWrite = request.Method != HttpMethod.Get
            && !request.PathTemplate.StartsWith("/api/permissions/", StringComparison.Ordinal)
            && !request.PathTemplate.EndsWith("/preview", StringComparison.Ordinal);
        if (succeeded && request.IsAuthenticatedOperation && WithoutAValidToken.Contains(request.Caller))
        {
            problems.Add("Answered without a valid token.");
        }

        if (succeeded && isWrite && request.Caller == Caller.Unpermitted)
        {
            problems.Add("A write by a member without the permission was done.");
        }

        if (request.PathTemplate == BulkInvitationsPath)
        {
            // A bulk upload answers row by row: a row naming another organisation's group must be refused on its own.
            if (succeeded && RowsInvitedNaming(victim, request, body) is { Count: > 0 } rows)
            {
                problems.Add($"Rows {string.Join(", ", rows)} naming another organisation's ids were to be invited.");
            }
        }
        else if (succeeded && request.NamesForeignIds && (isWrite || victim.Any(path.Contains)))
        {
            problems.Add("Another organisation's ids were acted on.");
        }

        if (victim.FirstOrDefault(id => body.Contains(id, StringComparison.OrdinalIgnoreCase) && !sent.Contains(id, StringComparison.OrdinalIgnoreCase)) is { } leaked)
        {
            problems.Add($"The answer names {leaked}, which belongs to another organisation.");
        }

        return problems;
    }

    /// <summary>
    /// Three organisations: one takes the valid writes, A is only sent requests that must be refused (its staff member's,
    /// its signed-out and forged tokens, its admin's naming B's ids), and B is only named.
    /// </summary>
    private static async Task<(FuzzWorld World, SeededOrganisation A, SeededOrganisation B)> SeedAsync(TeamPlatformClient client)
    {
        var organisations = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SeededOrganisation.CreateAsync(client)));
        var (writable, a, b) = (organisations[0], organisations[1], organisations[2]);

        var registrations = Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
            Guid.Parse(await client.StartRegistrationAsync(writable.Org.Slug, $"pending {i}", TestPhones.New()))));
        var resets = Task.WhenAll(new[] { writable.Staff, writable.Admin }.Select(async member =>
        {
            var started = await client.Gateway.PostAsJsonAsync($"/api/orgs/{writable.Org.Slug}/password-resets", new { phone = member.Phone });
            await TeamPlatformClient.Expect(started, HttpStatusCode.Accepted);
            return Guid.Parse((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resetId").GetString()!);
        }));
        var signedOut = SignedOutTokenAsync(client, a);
        var forgeries = ForgeriesAsync(client, a.Admin.AccessToken!);
        await Task.WhenAll(registrations, resets, signedOut, forgeries);

        var tokens = new Dictionary<Caller, IReadOnlyList<string>>
        {
            [Caller.Writer] = [writable.Admin.AccessToken!],
            [Caller.Outsider] = [a.Admin.AccessToken!],
            [Caller.Unpermitted] = [a.Staff.AccessToken!],
            [Caller.SignedOut] = [await signedOut],
            [Caller.Expired] = [ForgedTokens.Make(ForgedTokens.Expired, a.Org.OrgId, a.Admin.MemberId)],
            [Caller.Forged] = await forgeries,
        };
        return (new FuzzWorld(writable.Ids, a.Ids, b.Ids, await registrations, await resets, tokens), a, b);
    }

    /// <summary>A second session of A's staff member, signed out (its refresh token revoked) before the run.</summary>
    private static async Task<string> SignedOutTokenAsync(TeamPlatformClient client, SeededOrganisation organisation)
    {
        var session = new TeamPlatformClient.Member(organisation.Staff.MemberId, organisation.Staff.Username, organisation.Staff.Phone, "active", false);
        await client.SignInAsync(session, organisation.Org.Slug);
        var revoked = await client.Gateway.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = session.RefreshToken!,
            ["token_type_hint"] = "refresh_token",
        }));
        await TeamPlatformClient.Expect(revoked, HttpStatusCode.OK);
        await Eventually.Until(
            async () => (await client.SendAs(session, HttpMethod.Get, "/api/me")).StatusCode,
            status => status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(20),
            "the signed-out token to be refused");
        return session.AccessToken!;
    }

    private static async Task<IReadOnlyList<string>> ForgeriesAsync(TeamPlatformClient client, string genuine)
    {
        var jwks = await client.Gateway.GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        var key = jwks.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("kty").GetString() == "RSA");
        using var published = RSA.Create();
        published.ImportParameters(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()),
            Exponent = Base64UrlEncoder.DecodeBytes(key.GetProperty("e").GetString()),
        });
        string[] forgeries = [ForgedTokens.NoSignature, ForgedTokens.HmacWithThePublicKey, ForgedTokens.ForeignKeySameKeyId, ForgedTokens.ChangedAfterSigning];
        return forgeries.Select(forgery => ForgedTokens.Make(forgery, genuine, published)).ToList();
    }

    /// <summary>The numbers of the rows (from 1) of a bulk upload that name one of <paramref name="victim"/>'s ids yet were invited.</summary>
    private static List<int> RowsInvitedNaming(IReadOnlyList<string> victim, FuzzRequest request, string answer)
    {
        var text = Encoding.UTF8.GetString(request.Body ?? []);
        var invited = new List<int>();
        if (!(request.MediaType == "text/csv" || (JsonNode.Parse(text) as JsonObject)?["rows"] is JsonArray)
            || (JsonNode.Parse(answer) as JsonObject)?["rows"] is not JsonArray rows)
        {
            return invited;
        }

        var uploaded = request.MediaType == "text/csv"
            ? text.Split('\n').Skip(1).ToList()
            : JsonNode.Parse(text)!["rows"]!.AsArray().Select(row => row?.ToJsonString() ?? "").ToList();
        foreach (var row in rows)
        {
            var number = row?["row"]?.GetValue<int>() ?? 0;
            var sentRow = row?["outcome"]?.GetValue<string>() == "invite" || row?["invitationId"] is not null;
            if (sentRow && number >= 1 && number <= uploaded.Count && victim.Any(uploaded[number - 1].Contains))
            {
                invited.Add(number);
            }
        }

        return invited;
    }

    private static string Excerpt(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private static string Difference(string before, string after)
    {
        var (was, now) = (before.Split('\n'), after.Split('\n'));
        return string.Join('\n', was.Zip(now).Where(pair => pair.First != pair.Second).Select(pair => $"- {Excerpt(pair.First)}\n+ {Excerpt(pair.Second)}"));
    }
}
