using TeamPlatform.Invitations.Domain;
using Xunit;

namespace TeamPlatform.Invitations.Tests.Domain;

public sealed class OrganisationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_newest_state_wins_whatever_order_the_events_arrive_in()
    {
        var organisation = Organisation.Known(Guid.NewGuid(), "hope", "Hope", "en", 30, Start.AddMinutes(5));

        Assert.False(organisation.Apply("hope", "Hope (old)", "fr", 10, Start));
        Assert.True(organisation.Apply("hope", "Hope Church", "sw", 14, Start.AddMinutes(6)));

        Assert.Equal(("Hope Church", "sw", 14), (organisation.Name, organisation.Language, organisation.InviteTtlDays));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    public void A_lifetime_outside_the_allowed_range_falls_back_to_thirty_days(int days)
    {
        var organisation = Organisation.Known(Guid.NewGuid(), "hope", "Hope", "", days, Start);

        Assert.Equal(30, organisation.InviteTtlDays);
        Assert.Equal("en", organisation.Language);
    }
}
