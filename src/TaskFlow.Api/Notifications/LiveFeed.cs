using MassTransit;
using TaskFlow.Components.Bus;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Whether this instance's live queue is consuming. A browser that connects before it is catches up from the stored
/// notifications at once, and a notification stored just after that catch-up would reach neither: the queue that would carry its push
/// does not exist yet, and the browser's next catch-up starts after a newer id. So the hub lets a browser in only
/// while the feed is up, and a browser that is turned away retries.
/// </summary>
public sealed class LiveFeed : IReceiveEndpointObserver
{
    private volatile TaskCompletionSource ready = NewSignal();

    public async Task<bool> WaitAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        try
        {
            await ready.Task.WaitAsync(within, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (IsLive(ready.InputAddress))
            this.ready.TrySetResult();
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Down(stopping.InputAddress);

    public Task Completed(ReceiveEndpointCompleted completed) => Down(completed.InputAddress);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Down(faulted.InputAddress);

    private Task Down(Uri address)
    {
        // The broker deletes a temporary queue with its connection: until it is declared again, pushes are lost.
        if (IsLive(address) && ready.Task.IsCompleted)
            ready = NewSignal();
        return Task.CompletedTask;
    }

    private static bool IsLive(Uri address) =>
        address.AbsolutePath.Split('/')[^1].StartsWith(BusExtensions.LiveQueuePrefix, StringComparison.Ordinal);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
