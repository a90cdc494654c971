using MassTransit;

namespace TeamPlatform.Contracts.Tests;

/// <summary>The names MassTransit on RabbitMQ gives message types, read from a bus configured as the services do (never started).</summary>
internal static class BusTopology
{
    private static readonly Lazy<IBusControl> Bus = new(() => MassTransit.Bus.Factory.CreateUsingRabbitMq(_ => { }));

    /// <summary>The fanout exchange a message of <paramref name="messageType"/> is published to.</summary>
    public static string ExchangeOf(Type messageType)
    {
        var message = typeof(IBusTopology).GetMethod(nameof(IBusTopology.Message))!.MakeGenericMethod(messageType).Invoke(Bus.Value.Topology, null)!;
        return (string)message.GetType().GetProperty(nameof(IMessageTopology<object>.EntityName))!.GetValue(message)!;
    }

    /// <summary>The urns MassTransit writes into an envelope's <c>messageType</c> for <paramref name="messageType"/>.</summary>
    public static string UrnOf(Type messageType) => MessageUrn.ForTypeString(messageType);
}
