using TeamPlatform.Gateway.Edge;
using Xunit;

namespace TeamPlatform.Gateway.Tests;

public sealed class FixedWindowTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_moment_falls_in_the_minute_that_holds_it_whatever_its_offset()
    {
        var window = FixedWindow.At(new DateTimeOffset(2026, 1, 5, 10, 7, 42, 500, TimeSpan.FromHours(1)), Minute);

        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 7, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(TimeSpan.Zero, window.Start.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 8, 0, TimeSpan.Zero), window.End);
    }

    [Fact]
    public void The_first_moment_of_a_minute_starts_a_new_window_and_the_last_tick_before_it_does_not()
    {
        var boundary = new DateTimeOffset(2026, 1, 5, 9, 8, 0, TimeSpan.Zero);

        Assert.Equal(boundary, FixedWindow.At(boundary, Minute).Start);
        Assert.Equal(boundary - Minute, FixedWindow.At(boundary.AddTicks(-1), Minute).Start);
    }

    [Fact]
    public void What_remains_of_a_window_is_the_time_to_its_end()
    {
        var now = new DateTimeOffset(2026, 1, 5, 9, 7, 15, TimeSpan.Zero);
        var window = FixedWindow.At(now, Minute);

        Assert.Equal(TimeSpan.FromSeconds(45), window.RemainingAt(now));
        Assert.Equal(TimeSpan.Zero, window.RemainingAt(window.End));
    }

    [Fact]
    public void Windows_of_other_lengths_are_aligned_to_their_own_length()
    {
        var window = FixedWindow.At(new DateTimeOffset(2026, 1, 5, 9, 7, 42, TimeSpan.Zero), TimeSpan.FromSeconds(10));

        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 7, 40, TimeSpan.Zero), window.Start);
    }
}
