using TeamPlatform.Console.Features.Shared;
using Xunit;

namespace TeamPlatform.Console.Tests.Team;

public sealed class TemporaryAccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1, "has ended")]
    [InlineData(0, "has ended")]
    [InlineData(59, "ends in under a minute")]
    [InlineData(60, "ends in 1 minute")]
    [InlineData(90, "ends in 2 minutes")]
    [InlineData(59 * 60, "ends in 59 minutes")]
    [InlineData(60 * 60, "ends in 1 hour")]
    [InlineData(47 * 3600 - 1, "ends in 47 hours")]
    [InlineData(48 * 3600, "ends in 2 days")]
    [InlineData(14 * 86400 - 1, "ends in 14 days")]
    public void The_countdown_speaks_in_the_largest_unit_that_fits_rounded_up(int secondsLeft, string expected) =>
        Assert.Equal(expected, TemporaryAccess.Countdown(Now.AddSeconds(secondsLeft), Now));

    [Fact]
    public void An_instant_is_shown_in_utc_to_the_minute() =>
        Assert.Equal("18 Dec 2026, 17:30 UTC", TemporaryAccess.Instant(new DateTimeOffset(2026, 12, 18, 19, 30, 45, TimeSpan.FromHours(2))));

    [Fact]
    public void The_lengths_offered_fit_within_what_the_service_accepts() =>
        Assert.All(TemporaryAccess.Lengths, length => Assert.InRange(length.Length, TimeSpan.FromDays(1), TimeSpan.FromDays(366)));
}
