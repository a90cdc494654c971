using MassTransit;

namespace TeamPlatform.Messaging;

/// <summary>
/// Resolves the type name an outbox row was written with (<see cref="OutboxMessage.MessageType"/>). A message type that
/// moved to another namespace or assembly keeps its MassTransit urn with <c>[MessageUrn]</c>; rows written before the
/// move still name the old type, and resolve to the moved type that carries the urn the old name had. Without this a
/// row committed just before an upgrade would be dropped as unknown.
/// </summary>
public sealed class OutboxTypes
{
    private readonly Dictionary<string, Type> _movedByUrn;

    public OutboxTypes(IEnumerable<Type> movedTypes) =>
        _movedByUrn = movedTypes.ToDictionary(type => MessageUrn.ForTypeString(type), StringComparer.Ordinal);

    /// <summary>The type of <paramref name="storedName"/>, or null when no build of this service can read it.</summary>
    public Type? Resolve(string storedName) =>
        Type.GetType(storedName, throwOnError: false)
        ?? (FormerUrn(storedName) is { } urn && _movedByUrn.TryGetValue(urn, out var moved) ? moved : null);

    /// <summary>
    /// The urn MassTransit gave the type named <paramref name="storedName"/> (<c>Namespace.Type, Assembly</c>) by
    /// default: <c>urn:message:Namespace:Type</c>. Nested and generic types are never moved, so they have none here.
    /// </summary>
    internal static string? FormerUrn(string storedName)
    {
        var typeName = storedName.Split(',', 2)[0].Trim();
        var dot = typeName.LastIndexOf('.');
        if (dot <= 0 || dot == typeName.Length - 1 || typeName.IndexOfAny(['+', '`', '[']) >= 0)
        {
            return null;
        }

        return $"urn:message:{typeName[..dot]}:{typeName[(dot + 1)..]}";
    }
}

/// <summary>A message type that moved, so that the outbox relay reads rows written under its old name.</summary>
internal sealed record MovedMessageType(Type Type);
