using System.Reflection;
using System.Text.Json;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// Generates the AsyncAPI 3.0 description of the public events from the records themselves: one channel per event
/// (the fanout exchange MassTransit publishes it to), one receive operation for subscribers, and the message as
/// MassTransit's JSON envelope with the record, camelCase, in <c>message</c>.
/// </summary>
internal static class AsyncApiDocument
{
    public const string Path = "docs/asyncapi.yaml";
    public const string ContentType = "application/vnd.masstransit+json";

    private static readonly JsonNamingPolicy Camel = JsonNamingPolicy.CamelCase;

    /// <summary>The events: the public records that say when they happened. The others are parts of events.</summary>
    public static IReadOnlyList<Type> Events(Assembly contracts) =>
        [.. contracts.GetExportedTypes().Where(IsRecord).Where(t => t.GetProperty("OccurredAt") is not null).OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static string Generate(Assembly contracts, string version)
    {
        var docs = XmlDocumentation.For(contracts);
        var events = Events(contracts);
        var parts = contracts.GetExportedTypes().Where(IsRecord).Except(events).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        var channels = new YamlMap();
        var operations = new YamlMap();
        var messages = new YamlMap();
        var schemas = new YamlMap();
        foreach (var type in events)
        {
            var exchange = BusTopology.ExchangeOf(type);
            channels.Add(type.Name, new YamlMap
            {
                { "address", exchange },
                { "title", type.Name },
                { "description", $"The fanout exchange of {type.Name}: bind a durable queue of your own to it." },
                { "messages", new YamlMap { { type.Name, Ref($"#/components/messages/{type.Name}") } } },
                { "bindings", new YamlMap
                    {
                        { "amqp", new YamlMap
                            {
                                { "is", "routingKey" },
                                { "exchange", new YamlMap
                                    {
                                        { "name", exchange }, { "type", "fanout" }, { "durable", true }, { "autoDelete", false }, { "vhost", "/" },
                                    }
                                },
                                { "bindingVersion", "0.3.0" },
                            }
                        },
                    }
                },
            });
            operations.Add($"receive{type.Name}", new YamlMap
            {
                { "action", "receive" },
                { "channel", Ref($"#/channels/{type.Name}") },
                { "summary", $"A subscriber receives {type.Name} on its own queue bound to the exchange." },
                { "messages", new List<object?> { Ref($"#/channels/{type.Name}/messages/{type.Name}") } },
            });
            messages.Add(type.Name, new YamlMap
            {
                { "name", type.Name },
                { "title", type.Name },
                { "summary", docs.Summary(type) ?? type.Name },
                { "contentType", ContentType },
                { "payload", Ref($"#/components/schemas/{type.Name}Envelope") },
                { "examples", new List<object?> { new YamlMap { { "name", Camel.ConvertName(type.Name) }, { "payload", Examples.Envelope(type) } } } },
            });
            schemas.Add($"{type.Name}Envelope", Envelope(type));
        }
        foreach (var type in events.Concat(parts).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            schemas.Add(type.Name, Schemas.Of(type, docs));
        }
        schemas.Add("Host", new YamlMap
        {
            { "type", "object" },
            { "description", "The process that sent the message." },
            { "properties", new YamlMap
                {
                    { "machineName", Text() }, { "processName", Text() }, { "processId", new YamlMap { { "type", "integer" } } },
                    { "assembly", Text() }, { "assemblyVersion", Text() }, { "frameworkVersion", Text() },
                    { "massTransitVersion", Text() }, { "operatingSystemVersion", Text() },
                }
            },
        });

        return "# Generated from the records of TeamPlatform.Contracts by tests/Contracts.Tests; do not edit.\n"
            + "# Regenerate: TP_UPDATE_ASYNCAPI=1 dotnet test tests/Contracts.Tests (docs/events.md).\n"
            + Yaml.Write(new YamlMap
            {
                { "asyncapi", "3.0.0" },
                { "info", new YamlMap
                    {
                        { "title", "TeamPlatform events" },
                        { "version", version },
                        { "description",
                            "The facts TeamPlatform publishes on RabbitMQ, for its own services and for outside subscribers. "
                            + "Each event type has a durable fanout exchange named after its type; bind a durable queue of your own to the "
                            + "exchanges you need. Bodies are MassTransit JSON envelopes: the record is the message property, camelCase. "
                            + "Delivery is at least once: deduplicate on messageId. Every event carries orgId and occurredAt (UTC, ISO 8601); "
                            + "phones are E.164. The C# records are the NuGet package TeamPlatform.Contracts." },
                        { "license", new YamlMap { { "name", "MIT" }, { "url", "https://opensource.org/licenses/MIT" } } },
                    }
                },
                { "defaultContentType", ContentType },
                { "servers", new YamlMap
                    {
                        { "local", new YamlMap
                            {
                                { "host", "localhost:5672" },
                                { "protocol", "amqp" },
                                { "protocolVersion", "0.9.1" },
                                { "description", "The broker of a local run; a deployment's broker has its own host and credentials." },
                            }
                        },
                    }
                },
                { "channels", channels },
                { "operations", operations },
                { "components", new YamlMap { { "messages", messages }, { "schemas", schemas } } },
            });
    }

    /// <summary>MassTransit's JSON envelope around the record (what the body of an AMQP message holds).</summary>
    private static YamlMap Envelope(Type type) => new()
    {
        { "type", "object" },
        { "description", $"MassTransit's envelope; the {type.Name} record is in message." },
        { "required", new List<object?> { "messageId", "messageType", "message" } },
        { "properties", new YamlMap
            {
                { "messageId", Uuid("Unique per message and stable across redeliveries: deduplicate on it.") },
                { "correlationId", NullableUuid() },
                { "conversationId", NullableUuid() },
                { "initiatorId", NullableUuid() },
                { "sourceAddress", new YamlMap { { "type", new List<object?> { "string", "null" } }, { "description", "The address of the sending bus." } } },
                { "destinationAddress", new YamlMap { { "type", new List<object?> { "string", "null" } }, { "description", "The exchange the message was published to." } } },
                { "messageType", new YamlMap
                    {
                        { "type", "array" },
                        { "description", "The message's urns, most specific first." },
                        { "items", Text() },
                        { "contains", new YamlMap { { "const", BusTopology.UrnOf(type) } } },
                    }
                },
                { "message", Ref($"#/components/schemas/{type.Name}") },
                { "sentTime", new YamlMap { { "type", "string" }, { "format", "date-time" }, { "description", "When the message left the outbox (UTC)." } } },
                { "headers", new YamlMap { { "type", "object" } } },
                { "host", Ref("#/components/schemas/Host") },
            }
        },
    };

    internal static bool IsRecord(Type type) => type.IsClass && type.GetMethod("<Clone>$") is not null;

    private static YamlMap Ref(string target) => new() { { "$ref", target } };

    private static YamlMap Text() => new() { { "type", "string" } };

    private static YamlMap Uuid(string description) => new() { { "type", "string" }, { "format", "uuid" }, { "description", description } };

    private static YamlMap NullableUuid() => new() { { "type", new List<object?> { "string", "null" } }, { "format", "uuid" } };
}
