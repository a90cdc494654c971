using MassTransit;
using TeamPlatform.Contracts.V1;

namespace MembershipSubscriber;

// Each consumer turns one event into a change of the table; MemberTable decides whether it still applies.

public sealed class MemberRegisteredConsumer(MemberTable table, ILogger<MemberRegisteredConsumer> logger) : IConsumer<MemberRegistered>
{
    public async Task Consume(ConsumeContext<MemberRegistered> context)
    {
        var registered = context.Message;
        var outcome = await table.ApplyAsync(
            Deliveries.MessageIdOf(context),
            MemberChange.Registered(registered.OrgId, registered.MemberId, registered.Username, registered.Status, registered.Role, registered.IsAdmin, registered.Revision),
            context.CancellationToken);
        logger.Outcome(nameof(MemberRegistered), context.MessageId, registered.Revision, outcome);
    }
}

public sealed class MemberAccessChangedConsumer(MemberTable table, ILogger<MemberAccessChangedConsumer> logger) : IConsumer<MemberAccessChanged>
{
    public async Task Consume(ConsumeContext<MemberAccessChanged> context)
    {
        var changed = context.Message;
        var outcome = await table.ApplyAsync(
            Deliveries.MessageIdOf(context),
            MemberChange.AccessChanged(changed.OrgId, changed.MemberId, changed.Status, changed.Role, changed.IsAdmin, changed.Revision),
            context.CancellationToken);
        logger.Outcome(nameof(MemberAccessChanged), context.MessageId, changed.Revision, outcome);
    }
}

public sealed class MemberRemovedConsumer(MemberTable table, ILogger<MemberRemovedConsumer> logger) : IConsumer<MemberRemoved>
{
    public async Task Consume(ConsumeContext<MemberRemoved> context)
    {
        var removed = context.Message;
        var outcome = await table.ApplyAsync(
            Deliveries.MessageIdOf(context),
            MemberChange.Removed(removed.OrgId, removed.MemberId, removed.Revision),
            context.CancellationToken);
        logger.Outcome(nameof(MemberRemoved), context.MessageId, removed.Revision, outcome);
    }
}

internal static partial class Deliveries
{
    public static Guid MessageIdOf(ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("TeamPlatform's events always carry a messageId.");

    // Ids and revisions only: usernames and phones are personal data and stay out of logs.
    [LoggerMessage(LogLevel.Information, "{Event} {MessageId} at revision {Revision}: {Outcome}")]
    public static partial void Outcome(this ILogger logger, string @event, Guid? messageId, long revision, Outcome outcome);
}
