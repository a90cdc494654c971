using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TeamPlatform.Permissions.Domain;

/// <summary>
/// The hash chain of an organisation's audit (docs/permissions.md#audit-chain): each entry's hash is SHA-256 over its
/// canonical form, which ends with the hash of the entry before, so that changing, removing or reordering an entry
/// breaks every link after it. The canonical form is a JSON array, written without whitespace:
/// <c>["teamplatform.audit.v1", id, orgId, sequence, action, memberId, actorId, conversationId, groupId, before, after,
/// revision, occurredAt, previousHash]</c> — ids as lowercase UUIDs, absent values as <c>null</c>, <c>before</c> and
/// <c>after</c> as JSON values in RFC 8785 form (keys sorted, no whitespace), <c>occurredAt</c> in UTC to the
/// microsecond (<c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>), the previous hash as lowercase hex.
/// </summary>
public static class AuditChain
{
    public const string Version = "teamplatform.audit.v1";

    public const int HashSize = SHA256.HashSizeInBytes;

    /// <summary>What the genesis entry chains to: 32 zero bytes.</summary>
    public static byte[] Origin => new byte[HashSize];

    /// <summary>The instant as PostgreSQL stores it (whole microseconds), so that a hash computed before saving matches the row read back.</summary>
    public static DateTimeOffset Stored(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    public static byte[] HashOf(AuditEntry entry) => SHA256.HashData(CanonicalForm(entry));

    /// <summary>The bytes the hash covers: UTF-8 of the canonical JSON array.</summary>
    public static byte[] CanonicalForm(AuditEntry entry)
    {
        var text = new StringBuilder(256);
        text.Append('[');
        Canonical.String(text, Version);
        text.Append(',');
        Canonical.String(text, Id(entry.Id));
        text.Append(',');
        Canonical.String(text, Id(entry.OrgId));
        text.Append(',').Append(entry.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',');
        Canonical.String(text, entry.Action);
        text.Append(',');
        Canonical.OptionalString(text, entry.MemberId is { } member ? Id(member) : null);
        text.Append(',');
        Canonical.OptionalString(text, entry.ActorId is { } actor ? Id(actor) : null);
        text.Append(',');
        Canonical.OptionalString(text, entry.ConversationId);
        text.Append(',');
        Canonical.OptionalString(text, entry.GroupId is { } group ? Id(group) : null);
        text.Append(',');
        Canonical.OptionalJson(text, entry.Before);
        text.Append(',');
        Canonical.OptionalJson(text, entry.After);
        text.Append(',').Append(entry.Revision.ToString(CultureInfo.InvariantCulture)).Append(',');
        Canonical.String(text, Instant(entry.OccurredAt));
        text.Append(',');
        Canonical.String(text, Convert.ToHexStringLower(entry.PreviousHash));
        text.Append(']');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Why <paramref name="entry"/> does not continue a chain whose last entry had <paramref name="previousSequence"/> and
    /// <paramref name="previousHash"/>; null when it does.
    /// </summary>
    public static string? Break(AuditEntry entry, long previousSequence, ReadOnlySpan<byte> previousHash)
    {
        if (entry.Sequence != previousSequence + 1)
        {
            return entry.Sequence > previousSequence + 1
                ? $"entries {previousSequence + 1} to {entry.Sequence - 1} are missing"
                : $"sequence {entry.Sequence} comes after {previousSequence}: an entry was copied or renumbered";
        }

        if (entry.Sequence == 1 && entry.Action != AuditActions.Genesis)
        {
            return "the chain does not start with its genesis entry";
        }

        if (!previousHash.SequenceEqual(entry.PreviousHash))
        {
            return "its previous hash is not the hash of the entry before";
        }

        return CryptographicOperations.FixedTimeEquals(HashOf(entry), entry.Hash) ? null : "its content does not match its hash";
    }

    public static string Instant(DateTimeOffset instant) =>
        Stored(instant).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Id(Guid id) => id.ToString("D");

    /// <summary>RFC 8785 (JSON Canonicalization Scheme) for the JSON the audit stores: strings, integers, booleans, null, arrays, objects.</summary>
    private static class Canonical
    {
        public static void OptionalString(StringBuilder text, string? value)
        {
            if (value is null)
            {
                text.Append("null");
                return;
            }

            String(text, value);
        }

        public static void OptionalJson(StringBuilder text, string? json)
        {
            if (json is null)
            {
                text.Append("null");
                return;
            }

            using var document = JsonDocument.Parse(json);
            Value(text, document.RootElement);
        }

        public static void String(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\b': text.Append("\\b"); break;
                    case '\f': text.Append("\\f"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                    default: text.Append(c); break;
                }
            }

            text.Append('"');
        }

        private static void Value(StringBuilder text, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    text.Append('{');
                    var first = true;
                    foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        text.Append(first ? "" : ",");
                        first = false;
                        String(text, property.Name);
                        text.Append(':');
                        Value(text, property.Value);
                    }

                    text.Append('}');
                    break;
                case JsonValueKind.Array:
                    text.Append('[');
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        text.Append(index++ == 0 ? "" : ",");
                        Value(text, item);
                    }

                    text.Append(']');
                    break;
                case JsonValueKind.String:
                    String(text, value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    text.Append(value.TryGetInt64(out var integer)
                        ? integer.ToString(CultureInfo.InvariantCulture)
                        : value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                    break;
                case JsonValueKind.True:
                    text.Append("true");
                    break;
                case JsonValueKind.False:
                    text.Append("false");
                    break;
                default:
                    text.Append("null");
                    break;
            }
        }
    }
}
