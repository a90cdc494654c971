using System.Reflection;
using System.Text;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

/// <summary>The audit chain's canonical form and links (docs/permissions.md#audit-chain), on the aggregate (no database).</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
    private readonly Organisation _organisation = Organisation.Create(Guid.NewGuid(), autoAdminCount: 2, Now);

    [Fact]
    public void The_first_entry_comes_after_a_genesis_entry_and_each_entry_links_to_the_one_before()
    {
        var first = _organisation.Audit(Registered());
        var second = _organisation.Audit(Registered());

        Assert.Equal([AuditActions.Genesis, AuditActions.Registered], first.Select(e => e.Action));
        var chain = first.Concat(second).ToList();
        Assert.Equal([1L, 2L, 3L], chain.Select(e => e.Sequence));
        Assert.Equal(AuditChain.Origin, chain[0].PreviousHash);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.Equal(chain[1].Hash, chain[2].PreviousHash);
        Assert.Equal((3L, chain[2].Hash), (_organisation.AuditSequence, _organisation.AuditHead));
        Assert.All(chain, e => Assert.Equal(32, e.Hash.Length));
        Assert.Null(AuditChain.Break(chain[0], 0, AuditChain.Origin));
        Assert.Null(AuditChain.Break(chain[2], 2, chain[1].Hash));
    }

    [Fact]
    public void Changing_any_stored_field_of_an_entry_changes_its_hash()
    {
        var entry = _organisation.Audit(Registered())[^1];
        var fields = typeof(AuditEntry).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != nameof(AuditEntry.Hash) && p.Name != nameof(AuditEntry.GroupsTouched))
            .ToList();

        // Every column but the hash itself and what is derived from the hashed ones (the groups an entry touches, read from
        // before and after): a field added to the entry and left out of the canonical form fails here.
        Assert.Equal(
            ["Action", "ActorId", "After", "Before", "ConversationId", "GroupId", "Id", "MemberId", "OccurredAt", "OrgId", "PreviousHash", "Revision", "Sequence"],
            fields.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var field in fields)
        {
            var original = field.GetValue(entry);
            field.SetValue(entry, Other(field.PropertyType, original));
            Assert.True(!AuditChain.HashOf(entry).SequenceEqual(entry.Hash), $"changing {field.Name} left the hash as it was");
            field.SetValue(entry, original);
            Assert.Equal(entry.Hash, AuditChain.HashOf(entry));
        }
    }

    [Fact]
    public void The_canonical_form_is_the_documented_array_and_reads_stored_json_as_written()
    {
        var entry = _organisation.Audit(Registered())[^1];
        var canonical = Encoding.UTF8.GetString(AuditChain.CanonicalForm(entry));

        Assert.StartsWith($"[\"teamplatform.audit.v1\",\"{entry.Id:D}\",\"{_organisation.Id:D}\",2,\"registered\",\"{entry.MemberId:D}\",null,null,null,null,{{\"access\":", canonical);
        Assert.EndsWith($",{entry.Revision},\"2026-01-05T09:00:00.123456Z\",\"{Convert.ToHexStringLower(entry.PreviousHash)}\"]", canonical);

        // PostgreSQL hands jsonb back with its own key order and spacing: the canonical form, and so the hash, are the same.
        var asStored = Reformat(entry.After!);
        Assert.NotEqual(entry.After, asStored);
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.After))!.SetValue(entry, asStored);
        Assert.Equal(entry.Hash, AuditChain.HashOf(entry));
    }

    [Fact]
    public void A_break_names_a_gap_a_wrong_link_or_changed_content()
    {
        var chain = _organisation.Audit(Registered()).Concat(_organisation.Audit(Registered())).ToList();

        Assert.Equal("entries 2 to 2 are missing", AuditChain.Break(chain[2], 1, chain[0].Hash));
        Assert.Equal("its previous hash is not the hash of the entry before", AuditChain.Break(chain[2], 2, chain[0].Hash));
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Action))!.SetValue(chain[0], AuditActions.Registered);
        Assert.Equal("the chain does not start with its genesis entry", AuditChain.Break(chain[0], 0, AuditChain.Origin));
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Revision))!.SetValue(chain[2], chain[2].Revision + 1);
        Assert.Equal("its content does not match its hash", AuditChain.Break(chain[2], 2, chain[1].Hash));
    }

    [Fact]
    public void An_entry_is_chained_once_and_only_by_its_own_organisation()
    {
        var entry = _organisation.Audit(Registered())[^1];
        var other = Organisation.Create(Guid.NewGuid(), 2, Now);

        Assert.Throws<ArgumentException>(() => _organisation.Audit(entry));
        Assert.Throws<ArgumentException>(() => other.Audit(AuditEntry.Of(AuditActions.Registered, Change(), null, Now)));
    }

    private AuditEntry Registered() => AuditEntry.Of(AuditActions.Registered, Change(), null, Now);

    private AccessChange Change()
    {
        var member = _organisation.Register(new MemberRegistration(Guid.NewGuid(), "member", "+254711000000", RegistrationRoutes.SelfRegistration), Now);
        return new AccessChange(member, member.State, member.State, member.Revision);
    }

    private static object? Other(Type type, object? value) => value switch
    {
        string text when text.StartsWith('{') => text.Insert(1, "\"changed\":true,"),
        string text => text + "x",
        null when type == typeof(string) => "{}",
        null => Guid.NewGuid(),
        Guid id => id == Guid.Empty ? Guid.NewGuid() : Guid.Empty,
        long number => number + 1,
        DateTimeOffset instant => instant.AddTicks(TimeSpan.TicksPerMicrosecond),
        byte[] bytes => bytes.Select(b => (byte)(b ^ 1)).ToArray(),
        _ => throw new InvalidOperationException($"No other value for {type}."),
    };

    /// <summary>The JSON as PostgreSQL's jsonb prints it: keys by length then bytes, a space after each colon and comma.</summary>
    private static string Reformat(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return Write(document.RootElement);

        static string Write(System.Text.Json.JsonElement element) => element.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Object => "{" + string.Join(", ", element.EnumerateObject()
                .OrderBy(p => Encoding.UTF8.GetByteCount(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => $"\"{p.Name}\": {Write(p.Value)}")) + "}",
            System.Text.Json.JsonValueKind.Array => "[" + string.Join(", ", element.EnumerateArray().Select(Write)) + "]",
            _ => element.GetRawText(),
        };
    }
}
