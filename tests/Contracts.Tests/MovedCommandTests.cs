using MassTransit;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Messaging;
using Xunit;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// The commands to the notification service moved out of the public contracts keeping their wire names, so that
/// messages in flight and outbox rows written before an upgrade are still delivered.
/// </summary>
public sealed class MovedCommandTests
{
    public static TheoryData<Type, string> Moved => new()
    {
        { typeof(SendOtp), "TeamPlatform.Contracts.V1:SendOtp" },
        { typeof(SendInvitation), "TeamPlatform.Contracts.V1:SendInvitation" },
    };

    [Theory]
    [MemberData(nameof(Moved))]
    public void The_urn_of_a_moved_command_is_the_one_it_had_in_the_contracts(Type command, string former)
    {
        Assert.Equal("TeamPlatform.Internal.Commands", command.Namespace);
        Assert.Equal($"urn:message:{former}", MessageUrn.ForTypeString(command));
    }

    [Theory]
    [MemberData(nameof(Moved))]
    public void The_exchange_of_a_moved_command_is_the_one_it_had_in_the_contracts(Type command, string former) =>
        Assert.Equal(former, BusTopology.ExchangeOf(command));

    [Fact]
    public void Every_moved_command_is_listed_for_the_outbox() =>
        Assert.Equal(Moved.Select(row => (Type)row[0]).Order(TypeOrder.Instance), MovedCommands.All.Order(TypeOrder.Instance));

    [Theory]
    [InlineData("TeamPlatform.Contracts.V1.SendOtp, TeamPlatform.Contracts", typeof(SendOtp))]
    [InlineData("TeamPlatform.Contracts.V1.SendInvitation, TeamPlatform.Contracts", typeof(SendInvitation))]
    [InlineData("TeamPlatform.Internal.Commands.SendOtp, TeamPlatform.Internal", typeof(SendOtp))]
    [InlineData("TeamPlatform.Contracts.V1.MemberRemoved, TeamPlatform.Contracts", typeof(V1.MemberRemoved))]
    public void Outbox_rows_written_before_the_move_resolve_to_the_moved_command(string storedName, Type expected) =>
        Assert.Equal(expected, new OutboxTypes(MovedCommands.All).Resolve(storedName));

    [Theory]
    [InlineData("TeamPlatform.Contracts.V1.SendSomethingElse, TeamPlatform.Contracts")]
    [InlineData("TeamPlatform.Contracts.V2.SendOtp, TeamPlatform.Contracts")]
    [InlineData("SendOtp")]
    [InlineData("")]
    public void Names_no_moved_command_had_stay_unknown(string storedName) =>
        Assert.Null(new OutboxTypes(MovedCommands.All).Resolve(storedName));

    [Fact]
    public void Without_the_moved_types_registered_an_old_row_is_unknown() =>
        Assert.Null(new OutboxTypes([]).Resolve("TeamPlatform.Contracts.V1.SendOtp, TeamPlatform.Contracts"));

    private sealed class TypeOrder : IComparer<Type>
    {
        public static readonly TypeOrder Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.FullName, y?.FullName);
    }
}
