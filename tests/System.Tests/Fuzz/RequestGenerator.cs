using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.OpenApi;
using TeamPlatform.Testing;

namespace TeamPlatform.System.Tests.Fuzz;

/// <summary>
/// Generates requests for every operation of the OpenAPI documents: valid ones drawn from the schemas, then each field,
/// path value, query value, media type and caller broken in turn. Every choice is drawn from one CsCheck <see cref="PCG"/>
/// seeded once, so a seed names the same requests against any run's seeded organisations.
/// </summary>
public sealed class RequestGenerator(FuzzWorld world, ulong seed)
{
    /// <summary>Stands for a member whose raw JSON is written in after serialising (bytes a serializer would not write).</summary>
    private const string RawPlaceholder = "@@raw-json@@";

    private static readonly string[] Presets = ["admin", "manager", "staff", "none", "custom"];

    private static readonly string[] PermissionNames =
    [
        "message_inbox", "prayer_requests_inbox", "stories_inbox", "broadcasts", "people", "keywords", "series", "surveys",
        "engage_settings", "explorer_conversations", "explorer_settings", "measure", "admin_settings",
    ];

    private static readonly string[] Actions = ["view", "edit", "export", "send", "create", "import"];

    private static readonly Breakage[] BodyBreakages =
    [
        Breakage.WrongType, Breakage.TooLong, Breakage.BadFormat, Breakage.Null, Breakage.UnknownMember, Breakage.HugeNumber,
        Breakage.InvalidUtf8, Breakage.Unstorable, Breakage.DeepNesting, Breakage.OverOneMebibyte, Breakage.Malformed,
        Breakage.MissingBody, Breakage.WrongMediaType, Breakage.ForeignId,
    ];

    private readonly PCG _random = new(1, seed);

    private readonly string[] _victimIds = [.. new[] { world.B.OrgId }.Concat(world.B.MemberIds).Concat(world.B.GroupIds).Concat(world.B.InvitationIds).Select(id => id.ToString())];

    public IReadOnlyList<FuzzRequest> Generate(IEnumerable<(string Service, string Path, HttpMethod Method, OpenApiOperation Operation)> operations, int perOperation)
    {
        var requests = new List<FuzzRequest>();
        foreach (var (service, path, method, operation) in operations)
        {
            for (var i = 0; i < perOperation; i++)
            {
                requests.Add(One(0, service, path, method, operation));
            }
        }

        // Interleaved, so that the services share the load as they would with real clients.
        var order = Draw(Gen.Shuffle(Enumerable.Range(0, requests.Count).ToArray()));
        return order.Select((from, index) => requests[from] with { Index = index }).ToList();
    }

    private T Draw<T>(Gen<T> gen) => gen.Generate(_random, null!, out _);

    private int Between(int min, int max) => Draw(Gen.Int[min, max]);

    private bool Percent(int percent) => Between(0, 99) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    private string Letters(int min, int max) => Draw(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], min, max]);

    private Guid AnyGuid() => Draw(Gen.Guid);

    private FuzzRequest One(int index, string service, string path, HttpMethod method, OpenApiOperation operation)
    {
        var authenticated = operation.Security is { Count: > 0 };
        var caller = authenticated ? ChooseCaller(path, method) : Caller.Anonymous;
        // The organisation whose ids the request names: the writer's own (mostly), the victim's, or A's for callers that
        // must be refused whatever they name.
        var target = caller switch
        {
            Caller.Writer => Percent(80) ? world.Writable : world.B,
            Caller.Outsider => world.B,
            Caller.Unpermitted => Percent(70) ? world.A : world.B,
            Caller.Anonymous when !authenticated => Percent(60) ? world.Writable : Percent(50) ? world.A : world.B,
            _ => world.A,
        };
        var breakage = Breakage.None;

        var route = new StringBuilder();
        foreach (var segment in path.Split('/'))
        {
            if (route.Length > 0 || segment.Length > 0)
            {
                route.Append('/');
            }

            if (segment.StartsWith('{'))
            {
                var name = segment.Trim('{', '}');
                var (value, broken) = PathValue(path, name, target, caller);
                breakage = broken ? Breakage.BadPathValue : breakage;
                route.Append(Uri.EscapeDataString(value));
            }
            else
            {
                route.Append(segment);
            }
        }

        var query = new List<string>();
        var headers = new Dictionary<string, string>();
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter.In is ParameterLocation.Query && (parameter.Required || Percent(55)))
            {
                var (value, broken) = QueryValue(parameter.Name!, parameter.Schema!, target);
                breakage = broken && breakage == Breakage.None ? Breakage.QueryOutOfBounds : breakage;
                query.AddRange(value.Select(v => $"{Uri.EscapeDataString(parameter.Name!)}={v}"));
            }
            else if (parameter.In is ParameterLocation.Header && Percent(80))
            {
                headers[parameter.Name!] = Percent(90) ? AnyGuid().ToString("N") : new string('k', Between(0, 1) == 0 ? 0 : 400);
            }
        }

        var pathAndQuery = route + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        string? mediaType = null;
        byte[]? body = null;
        if (operation.RequestBody?.Content is { Count: > 0 } content)
        {
            var chosen = Pick(content.Keys.ToList());
            var bodyBreakage = breakage == Breakage.None && Percent(75) ? Pick(BodyBreakages) : Breakage.None;
            (mediaType, body, bodyBreakage) = chosen switch
            {
                "application/x-www-form-urlencoded" => Form(content[chosen].Schema!, bodyBreakage),
                "text/csv" => Csv(bodyBreakage, target),
                _ => Json(content[chosen].Schema!, bodyBreakage, target),
            };
            breakage = bodyBreakage == Breakage.None ? breakage : bodyBreakage;
        }

        // Phones belong to people, not to an organisation: only ids make a request foreign.
        var sent = pathAndQuery + (body is null ? "" : Encoding.UTF8.GetString(body));
        var foreign = authenticated && _victimIds.Any(id => sent.Contains(id, StringComparison.OrdinalIgnoreCase));

        return new FuzzRequest(index, service, method, path, pathAndQuery, caller, TokenOf(caller), breakage, mediaType, body, headers)
        {
            IsAuthenticatedOperation = authenticated,
            NamesForeignIds = foreign,
        };
    }

    private Caller ChooseCaller(string path, HttpMethod method)
    {
        var readOnly = method == HttpMethod.Get || path.StartsWith("/api/permissions/", StringComparison.Ordinal);
        // Ids that belong to an organisation: naming B's there must answer 404 (a conversation's id is any text).
        var ownedPathId = path.Contains("{id}", StringComparison.Ordinal) && !path.StartsWith("/api/conversations/", StringComparison.Ordinal);
        var ownProfileWrite = path.StartsWith("/api/me", StringComparison.Ordinal) && method != HttpMethod.Get;
        return Between(0, 99) switch
        {
            < 40 => Caller.Writer,
            < 55 => readOnly || ownedPathId ? Caller.Outsider : Caller.Writer,
            < 70 => ownProfileWrite ? Caller.Writer : Caller.Unpermitted,
            < 78 => Caller.Anonymous,
            < 86 => Caller.SignedOut,
            < 92 => Caller.Expired,
            _ => Caller.Forged,
        };
    }

    private string? TokenOf(Caller caller) =>
        caller == Caller.Anonymous ? null : Pick(world.Tokens[caller]);

    private (string Value, bool Broken) PathValue(string path, string name, OrganisationIds target, Caller caller)
    {
        if (Percent(caller == Caller.Outsider ? 15 : 20))
        {
            return (Pick<string>(["not-an-id", "0", "-1", "00000000-0000-0000-0000-000000000000", new string('9', 300),
                "ü", "' or 1=1 --", "%00", AnyGuid().ToString().ToUpperInvariant() + "x", " "]), true);
        }

        var value = name switch
        {
            "slug" => target.Slug,
            "resetId" => Percent(70) ? Pick(world.PasswordResetIds).ToString() : AnyGuid().ToString(),
            "token" => Letters(20, 60),
            "sid" => AnyGuid().ToString(),
            _ when path.StartsWith("/api/members/", StringComparison.Ordinal) => Pick(target.MemberIds).ToString(),
            _ when path.StartsWith("/api/groups/", StringComparison.Ordinal) => Pick(target.GroupIds).ToString(),
            _ when path.StartsWith("/api/invitations/bulk/", StringComparison.Ordinal) => AnyGuid().ToString(),
            _ when path.StartsWith("/api/invitations/", StringComparison.Ordinal) => Pick(target.InvitationIds).ToString(),
            _ when path.StartsWith("/api/registrations/", StringComparison.Ordinal) => Percent(70) ? Pick(world.RegistrationIds).ToString() : AnyGuid().ToString(),
            _ when path.StartsWith("/api/conversations/", StringComparison.Ordinal) => "conversation-" + Between(1, 5),
            _ => AnyGuid().ToString(),
        };
        return (value, false);
    }

    /// <summary>A query parameter's values (escaped), valid or out of what its schema documents.</summary>
    private (IReadOnlyList<string> Values, bool Broken) QueryValue(string name, IOpenApiSchema schema, OrganisationIds target)
    {
        var broken = Percent(40);
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true)
        {
            var count = broken ? (schema.MaxItems ?? 100) + Between(1, 5) : Between(1, 3);
            return (Enumerable.Range(0, count).Select(_ => broken && Percent(30) ? "not-an-id" : Pick(target.GroupIds).ToString()).ToList(), broken);
        }

        if (!broken)
        {
            return ([Uri.EscapeDataString(ValidText(name, schema, target))], false);
        }

        string value = Between(0, 5) switch
        {
            0 => "%00",
            1 => Uri.EscapeDataString(new string('q', (schema.MaxLength ?? 1000) + Between(1, 50))),
            2 when Bound(schema.Maximum) is { } maximum => (maximum + Between(1, 1000)).ToString(CultureInfo.InvariantCulture),
            2 or 3 when Bound(schema.Minimum) is { } minimum => (minimum - Between(1, 1000)).ToString(CultureInfo.InvariantCulture),
            3 => "99999999999999999999",
            4 => Uri.EscapeDataString(Pick<string>(["not-valid", "1.5", "true", "", "\u00e9t\u00e9", "%ZZ", "1e9"])),
            _ => "%C3%28",
        };
        return ([value], true);
    }

    private string ValidText(string name, IOpenApiSchema schema, OrganisationIds target)
    {
        if (schema.Enum is { Count: > 0 } values)
        {
            return Pick(values.ToList())!.GetValue<string>();
        }

        if (schema.Format == "uuid")
        {
            return (name == "memberId" ? Pick(target.MemberIds) : name == "groupId" ? Pick(target.GroupIds) : AnyGuid()).ToString();
        }

        if (schema.Type?.HasFlag(JsonSchemaType.Integer) == true)
        {
            return Between((int)(Bound(schema.Minimum) ?? 1), (int)Math.Min(Bound(schema.Maximum) ?? 50, 300)).ToString(CultureInfo.InvariantCulture);
        }

        if (schema.Type?.HasFlag(JsonSchemaType.Boolean) == true)
        {
            return Percent(50) ? "true" : "false";
        }

        return name switch
        {
            "to" => Percent(50) ? TestPhones.New() : Pick(target.Phones),
            "q" => Letters(1, 8),
            _ => Letters(1, Math.Min(schema.MaxLength ?? 20, 20)),
        };
    }

    private static decimal? Bound(string? bound) =>
        decimal.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private (string? MediaType, byte[]? Body, Breakage Breakage) Json(IOpenApiSchema schema, Breakage breakage, OrganisationIds target)
    {
        if (breakage == Breakage.ForeignId && target != world.Writable)
        {
            breakage = Breakage.None;
        }

        var node = Valid(schema, null, breakage == Breakage.ForeignId ? world.B : target, 0);
        string? raw = null;
        var properties = schema.Properties is { Count: > 0 } ? schema.Properties.Keys.ToList() : [];
        if (node is JsonObject body && properties.Count > 0)
        {
            var field = Pick(properties);
            var fieldSchema = schema.Properties![field];
            switch (breakage)
            {
                case Breakage.WrongType:
                    body[field] = WrongType(fieldSchema);
                    break;
                case Breakage.TooLong:
                    body[field] = new string('x', Pick<int>([300, 5_000, 70_000]));
                    break;
                case Breakage.BadFormat:
                    body[field] = Pick<string>(["not-a-uuid", "2020-13-45T25:61:00Z", "+1", "phone", "@@", "1.5", "-0", "NaN"]);
                    break;
                case Breakage.Null:
                    body[field] = null;
                    break;
                case Breakage.Unstorable:
                    body[field] = RawPlaceholder;
                    raw = Pick<string>(["\"a\\u0000b\"", "\"\\ud800x\"", "[\"\\u0000\"]", "{\"k\\u0000\": 1}"]);
                    break;
                case Breakage.HugeNumber:
                    body[field] = RawPlaceholder;
                    raw = Pick<string>(["1e400", "-1e400", "99999999999999999999999999999999", "9223372036854775808", "0.0000000000000000000000000001"]);
                    break;
                case Breakage.InvalidUtf8:
                    body[field] = RawPlaceholder;
                    break;
                case Breakage.DeepNesting:
                    body[field] = RawPlaceholder;
                    var depth = Pick<int>([70, 1_000, 5_000]);
                    raw = Percent(50) ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    break;
                case Breakage.OverOneMebibyte:
                    body[field] = new string('m', 1_100_000);
                    break;
                case Breakage.UnknownMember:
                    body[Pick<string>(["unknown", "orgId", "isAdmin", "id", "status", "__proto__"])] = Pick<JsonNode?>([1, "x", true, null]);
                    break;
            }
        }
        else if (breakage is Breakage.WrongType or Breakage.Null or Breakage.Unstorable or Breakage.HugeNumber)
        {
            node = breakage == Breakage.Null ? null : WrongType(schema);
        }
        else if (breakage == Breakage.OverOneMebibyte)
        {
            node = new string('m', 1_100_000);
        }

        var text = node is null ? "null" : node.ToJsonString();
        var bytes = breakage switch
        {
            Breakage.MissingBody => Percent(50) ? [] : null,
            Breakage.Malformed => Encoding.UTF8.GetBytes(Pick<string>([text[..(text.Length / 2)], "{", "{\"a\":}", "not json", "{'single': 'quotes'}", text + "}", "\uFEFF" + text])),
            Breakage.InvalidUtf8 => Splice(text, [(byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"']),
            _ when raw is not null => Encoding.UTF8.GetBytes(text.Replace($"\"{RawPlaceholder}\"", raw, StringComparison.Ordinal)),
            _ => Encoding.UTF8.GetBytes(text),
        };
        var media = breakage == Breakage.WrongMediaType ? Pick<string>(["text/plain", "application/xml", "multipart/form-data; boundary=x"]) : "application/json";
        return (bytes is null ? null : media, bytes, breakage);
    }

    private static byte[] Splice(string text, byte[] raw)
    {
        var at = text.IndexOf($"\"{RawPlaceholder}\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return [.. Encoding.UTF8.GetBytes(text), .. raw];
        }

        return [.. Encoding.UTF8.GetBytes(text[..at]), .. raw, .. Encoding.UTF8.GetBytes(text[(at + RawPlaceholder.Length + 2)..])];
    }

    private JsonNode? WrongType(IOpenApiSchema schema)
    {
        var types = schema.Type ?? JsonSchemaType.Object;
        return types.HasFlag(JsonSchemaType.String) || types.HasFlag(JsonSchemaType.Boolean)
            ? Pick<JsonNode?>([12345, new JsonArray(), new JsonObject { ["a"] = 1 }, 1.5])
            : Pick<JsonNode?>(["text", true, new JsonArray(1, 2), 1.5]);
    }

    /// <summary>A value the schema admits, made plausible by the member's name where the schema says only "a string".</summary>
    private JsonNode? Valid(IOpenApiSchema schema, string? name, OrganisationIds target, int depth)
    {
        if (name is not null && Hint(name, target, depth) is { } hint)
        {
            return hint.Value;
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return Pick(values.ToList())?.DeepClone();
        }

        if (schema.Const is { } constant)
        {
            return constant;
        }

        if (schema.OneOf is { Count: > 0 } oneOf)
        {
            var variants = oneOf.Where(v => v.Type != JsonSchemaType.Null).ToList();
            return variants.Count == 0 ? null : Valid(Pick(variants), name, target, depth);
        }

        var types = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : (JsonSchemaType)0);
        if (types.HasFlag(JsonSchemaType.Null) && Percent(15))
        {
            return null;
        }

        if (types.HasFlag(JsonSchemaType.Object) && depth < 4)
        {
            var obj = new JsonObject();
            foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (schema.Required?.Contains(property) == true || Percent(60))
                {
                    obj[property] = Valid(propertySchema, property, target, depth + 1);
                }
            }

            return obj;
        }

        if (types.HasFlag(JsonSchemaType.Array) && depth < 4)
        {
            return new JsonArray(Enumerable.Range(0, Between(0, 3)).Select(_ => Valid(schema.Items ?? new OpenApiSchema(), null, target, depth + 1)).ToArray());
        }

        if (types.HasFlag(JsonSchemaType.Integer))
        {
            return Between((int)(Bound(schema.Minimum) ?? 0), (int)Math.Min(Bound(schema.Maximum) ?? 100, 1000));
        }

        if (types.HasFlag(JsonSchemaType.Number))
        {
            return Between(0, 1000) / 10.0;
        }

        if (types.HasFlag(JsonSchemaType.Boolean))
        {
            return Percent(50);
        }

        if (types.HasFlag(JsonSchemaType.String))
        {
            return schema.Format switch
            {
                "uuid" => AnyGuid().ToString(),
                "date-time" => DateTimeOffset.UnixEpoch.AddDays(Between(19_000, 22_000)).ToString("O", CultureInfo.InvariantCulture),
                _ => Letters(Math.Max(schema.MinLength ?? 1, 1), Math.Min(schema.MaxLength ?? 16, 16)),
            };
        }

        return new JsonObject();
    }

    private sealed record Hinted(JsonNode? Value);

    /// <summary>Plausible values of the members the API's bodies have, by name.</summary>
    private Hinted? Hint(string name, OrganisationIds target, int depth) => name switch
    {
        "phone" => new(Percent(85) ? TestPhones.New() : Pick(target.Phones)),
        "username" => new($"fuzz {Letters(3, 10)}"),
        "name" => new($"Fuzz {Letters(3, 12)}"),
        "slug" => new(TeamPlatformClient.NewSlug()),
        "password" or "newPassword" => new($"fuzz-password-{Letters(4, 12)}"),
        // Never the seeded members' password: a password change would end the sessions whose tokens the run sends.
        "currentPassword" => new($"not-the-password-{Letters(2, 6)}"),
        "code" => new(Between(0, 999_999).ToString("D6", CultureInfo.InvariantCulture)),
        "email" => new(Percent(50) ? null : $"{Letters(3, 8)}@example.com"),
        "invitationToken" => new(Percent(80) ? null : Letters(20, 43)),
        "role" or "preset" => new(Pick(Presets)),
        "permission" => new(Pick(PermissionNames)),
        "action" => new(Percent(30) ? null : Pick(Actions)),
        "memberId" => new(Percent(20) ? null : Pick(target.MemberIds).ToString()),
        "orgId" => new(Percent(80) ? null : target.OrgId.ToString()),
        "groupIds" or "allowMemberIds" or "denyMemberIds" => new(new JsonArray(Enumerable.Range(0, Between(0, 2))
            .Select(_ => (JsonNode?)(name == "groupIds" ? Pick(target.GroupIds) : Pick(target.MemberIds)).ToString()).ToArray())),
        "conversationId" => new(Percent(50) ? null : "conversation-" + Between(1, 5)),
        "minRevision" => new(Percent(60) ? null : Between(0, 5)),
        "access" => new(Access(target)),
        "permissions" when depth > 0 => new(Permissions(target)),
        "isAdmin" => new(Percent(10)),
        "language" => new(Pick<string>(["en", "fr", "sw"])),
        "chatbotPhone" => new(null),
        "autoAdminCount" => new(Between(1, 3)),
        "inviteTtlDays" => new(Between(1, 30)),
        "checks" => new(new JsonArray(Enumerable.Range(0, Between(1, 3)).Select(_ => (JsonNode?)new JsonObject
        {
            ["memberId"] = Pick(target.MemberIds).ToString(),
            ["permission"] = Pick(PermissionNames),
            ["groupIds"] = new JsonArray(Pick(target.GroupIds).ToString()),
        }).ToArray())),
        _ => null,
    };

    private JsonObject Access(OrganisationIds target)
    {
        var access = new JsonObject { ["role"] = Pick(Presets) };
        if (access["role"]!.GetValue<string>() == "staff")
        {
            access["groupIds"] = new JsonArray(Pick(target.GroupIds).ToString());
        }
        else if (access["role"]!.GetValue<string>() == "custom")
        {
            access["permissions"] = Permissions(target);
        }

        return access;
    }

    private JsonObject Permissions(OrganisationIds target) => Between(0, 3) switch
    {
        0 => new JsonObject { ["people"] = new JsonObject { ["scope"] = "all" } },
        1 => new JsonObject { ["message_inbox"] = new JsonObject { ["scope"] = "groups", ["groupIds"] = new JsonArray(Pick(target.GroupIds).ToString()) } },
        2 => new JsonObject { ["keywords"] = "view", ["engage_settings"] = true },
        _ => [],
    };

    private (string? MediaType, byte[]? Body, Breakage Breakage) Form(IOpenApiSchema schema, Breakage breakage)
    {
        var variant = schema.OneOf is { Count: > 0 } ? Pick(schema.OneOf.ToList()) : schema;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (name, property) in variant.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (variant.Required?.Contains(name) != true && !Percent(50))
            {
                continue;
            }

            fields.Add(new(name, property.Const ?? name switch
            {
                "username" => TestPhones.New(),
                "password" => $"fuzz-password-{Letters(4, 12)}",
                "org" => Pick<string>([world.Writable.Slug, world.A.Slug, Letters(3, 20)]),
                "scope" => Pick<string>(["offline_access", "permissions.check", "openid"]),
                "client_id" => Pick<string>(["dev-service", Letters(3, 10)]),
                "token_type_hint" => Pick<string>(["refresh_token", "access_token"]),
                _ => Letters(10, 40),
            }));
        }

        string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
            string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

        var text = breakage switch
        {
            Breakage.Null when fields.Count > 0 => Encode(fields.Skip(1)),
            Breakage.WrongType => Encode(fields.Select(f => f.Key == "grant_type" ? new KeyValuePair<string, string>(f.Key, Letters(3, 12)) : f)),
            Breakage.TooLong => Encode(fields.Append(new("password", new string('p', Pick<int>([5_000, 70_000]))))),
            Breakage.OverOneMebibyte => Encode(fields.Append(new("pad", new string('m', 1_100_000)))),
            Breakage.UnknownMember => Encode(fields.Append(new(Letters(3, 8), Letters(1, 8)))),
            Breakage.Unstorable => Encode(fields) + "&username=a%00b",
            Breakage.InvalidUtf8 => Encode(fields) + "&password=%C3%28%FF",
            Breakage.Malformed => Encode(fields) + Pick<string>(["&&==&", "&%ZZ=1", "&a=%", "&=x"]),
            _ => Encode(fields),
        };

        if (breakage == Breakage.MissingBody)
        {
            return (null, null, breakage);
        }

        var media = breakage == Breakage.WrongMediaType ? "application/json" : "application/x-www-form-urlencoded";
        if (breakage is Breakage.BadFormat or Breakage.HugeNumber or Breakage.DeepNesting or Breakage.ForeignId)
        {
            breakage = Breakage.None;
        }

        return (media, Encoding.UTF8.GetBytes(text), breakage);
    }

    private (string? MediaType, byte[]? Body, Breakage Breakage) Csv(Breakage breakage, OrganisationIds target)
    {
        var rows = Enumerable.Range(0, Between(1, 3))
            .Select(_ => $"{TestPhones.New()},{Pick<string>(["staff", "manager", "none", "admin", "custom", "nobody"])},{(Percent(50) ? Pick(target.GroupIds).ToString() : "")}");
        var csv = "phone,preset,groups\r\n" + string.Join("\r\n", rows) + "\r\n";
        byte[]? body = breakage switch
        {
            Breakage.UnknownMember => Encoding.UTF8.GetBytes("phone,preset,name\r\n+254711111111,staff,Ann\r\n"),
            Breakage.Unstorable => Encoding.UTF8.GetBytes(csv + "+25471\u00001234,staff,\r\n"),
            Breakage.InvalidUtf8 => [.. Encoding.UTF8.GetBytes(csv), 0xC3, 0x28, 0xFF, (byte)',', (byte)'s', (byte)'\r', (byte)'\n'],
            Breakage.TooLong => Encoding.UTF8.GetBytes("phone,preset,groups\r\n" + string.Concat(Enumerable.Repeat("+254711111111,staff,\r\n", 6_000))),
            Breakage.OverOneMebibyte => Encoding.UTF8.GetBytes(csv + new string('m', 1_100_000)),
            Breakage.Malformed => Encoding.UTF8.GetBytes(Pick<string>(["\"unterminated,staff\r\n", "phone\r\n", ",,,,\r\n", "phone,preset,groups\r\n"])),
            Breakage.MissingBody => null,
            _ => Encoding.UTF8.GetBytes(csv),
        };
        if (breakage is Breakage.WrongType or Breakage.BadFormat or Breakage.Null or Breakage.HugeNumber or Breakage.DeepNesting or Breakage.ForeignId)
        {
            breakage = Breakage.None;
        }

        var media = breakage == Breakage.WrongMediaType ? "text/plain" : "text/csv";
        return (body is null ? null : media, body, breakage);
    }
}
