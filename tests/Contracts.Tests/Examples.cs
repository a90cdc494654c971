using System.Text.Json;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// One example per event, made from its properties: values that read like real ones (a status is a status, a phone is
/// E.164), fixed so that the document does not change between runs. The phones are from the range kept for drama.
/// </summary>
internal static class Examples
{
    private const string OrgId = "0193a0c4-5b1e-7a10-9c2e-6f4d8b2a1c01";
    private const string At = "2026-03-02T09:15:00+00:00";

    public static YamlMap Envelope(Type record) => new()
    {
        { "messageId", "0193a0c4-6a2f-7b21-8d3f-7e5c9a3b2d02" },
        { "conversationId", "0193a0c4-6a2f-7b21-8d3f-7e5c9a3b2d03" },
        { "sourceAddress", "rabbitmq://localhost/teamplatform_bus" },
        { "destinationAddress", $"rabbitmq://localhost/{BusTopology.ExchangeOf(record)}" },
        { "messageType", new List<object?> { BusTopology.UrnOf(record) } },
        { "message", Of(record) },
        { "sentTime", "2026-03-02T09:15:00.1234567Z" },
        { "headers", new YamlMap() },
    };

    private static YamlMap Of(Type record)
    {
        var example = new YamlMap();
        foreach (var property in Schemas.Properties(record))
        {
            example.Add(Schemas.Name(property), Value(record, property.Name, property.PropertyType));
        }
        return example;
    }

    private static object? Value(Type record, string property, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (AsyncApiDocument.IsRecord(type))
        {
            return Of(type);
        }
        if (Schemas.Dictionary(type) is not null)
        {
            return new YamlMap { { "message_inbox", new YamlMap { { "scope", "all" } } }, { "keywords", "view" }, { "measure", false } };
        }
        if (Schemas.Element(type) is { } element)
        {
            return new List<object?> { Value(record, property, element) };
        }
        if (type == typeof(Guid))
        {
            return property == "OrgId" ? OrgId : Ids.For($"{record.Name}.{property}");
        }
        if (type == typeof(DateTimeOffset))
        {
            return property is "ExpiresAt" ? "2026-04-01T09:15:00+00:00" : At;
        }
        if (type == typeof(long) || type == typeof(int))
        {
            return property switch { "Revision" => 42, "InviteTtlDays" => 30, "AutoAdminCount" => 2, _ => 1 };
        }
        if (type == typeof(bool))
        {
            return property == "SmsFallback";
        }
        if (type == typeof(JsonElement))
        {
            return "allowed";
        }
        return property switch
        {
            "Phone" or "ChatbotPhone" => "+447700900123",
            "Username" => "ada.lovelace",
            "Name" => "Acme Support",
            "Slug" => "acme-support",
            "Status" when record.Name.StartsWith("Notification", StringComparison.Ordinal) => "delivered",
            "Status" => "active",
            "PreviousStatus" => "pending_approval",
            "Role" => "staff",
            "Via" => "registration",
            "Reason" => "signed_out",
            "SessionId" => "session-7f3a",
            "ConversationId" => "conversation-1842",
            "Template" => "invitation",
            "Channel" => "whatsapp",
            "Error" => "The number is not on WhatsApp and SMS is off.",
            "SelfRegistration" => "approval",
            "Language" => "en",
            _ => property,
        };
    }

    /// <summary>A stable, version-7-shaped id per property, so that two examples never share an id by chance.</summary>
    private static class Ids
    {
        public static string For(string name)
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
            var hex = Convert.ToHexStringLower(hash);
            return $"0193a0c4-{hex[..4]}-7{hex[4..7]}-8{hex[7..10]}-{hex[10..22]}";
        }
    }
}
