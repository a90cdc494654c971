using System.Threading.Channels;

namespace TeamPlatform.Notifications.Features.Shared;

/// <summary>Wakes a worker when something committed new work; polling covers the rest.</summary>
public abstract class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Real time on purpose: the poll is machinery, and a test's frozen clock must not stop it.
        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Wakes the delivery worker (a fallback from a provider's webhook).</summary>
public sealed class DeliverySignal : WakeSignal;

/// <summary>Wakes the webhook worker (an event to deliver, a replay).</summary>
public sealed class WebhookSignal : WakeSignal;
