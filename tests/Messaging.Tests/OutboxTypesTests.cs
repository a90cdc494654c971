using MassTransit;
using Xunit;

namespace TeamPlatform.Messaging.Tests;

/// <summary>A message type moved keeping its urn: rows written under its old name still resolve to it.</summary>
public sealed class OutboxTypesTests
{
    [Fact]
    public void A_row_written_under_the_old_name_resolves_to_the_type_carrying_its_urn() =>
        Assert.Equal(typeof(MovedNote), new OutboxTypes([typeof(MovedNote)]).Resolve("Old.Place.V1.Noted, Old.Assembly"));

    [Fact]
    public void A_row_written_under_the_current_name_resolves_as_before() =>
        Assert.Equal(typeof(MovedNote), new OutboxTypes([]).Resolve(OutboxMessage.TypeName(typeof(MovedNote))));

    [Theory]
    [InlineData("Old.Place.V1.Other, Old.Assembly")]
    [InlineData("Old.Place.V2.Noted, Old.Assembly")]
    [InlineData("Noted, Old.Assembly")]
    [InlineData("Old.Place.V1.Outer+Noted, Old.Assembly")]
    [InlineData("")]
    public void Other_unknown_names_stay_unknown(string storedName) =>
        Assert.Null(new OutboxTypes([typeof(MovedNote)]).Resolve(storedName));

    [Theory]
    [InlineData("Old.Place.V1.Noted, Old.Assembly", "urn:message:Old.Place.V1:Noted")]
    [InlineData("Old.Place.V1.Noted", "urn:message:Old.Place.V1:Noted")]
    [InlineData("Noted", null)]
    [InlineData("Old.Generic`1, Old.Assembly", null)]
    public void The_former_urn_is_MassTransits_default_for_the_old_name(string storedName, string? urn) =>
        Assert.Equal(urn, OutboxTypes.FormerUrn(storedName));
}

[MessageUrn("Old.Place.V1:Noted")]
public sealed record MovedNote(string Text);
