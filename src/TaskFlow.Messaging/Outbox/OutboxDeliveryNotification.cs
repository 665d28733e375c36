using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.Extensions.Options;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Wakes the delivery service: an auto-reset signal, so a commit announced while a delivery pass is running is not
/// lost (the next wait returns at once), and many announcements coalesce into one pass. Without one, the wait ends
/// after <see cref="OutboxDeliveryServiceOptions.QueryDelay"/> (the sweep).
/// </summary>
internal sealed class OutboxDeliveryNotification(IOptions<OutboxDeliveryServiceOptions> options) : IBusOutboxNotification, IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);
    private long announced;

    /// <summary>Commits announced so far: a pass that saw this change while it ran may have held one of them back.</summary>
    public long Announced => Interlocked.Read(ref announced);

    public async Task WaitForDelivery(CancellationToken cancellationToken) =>
        await signal.WaitAsync(options.Value.QueryDelay, cancellationToken);

    public void Delivered()
    {
        Interlocked.Increment(ref announced);
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pass delivers everything committed so far.
        }
    }

    public void Dispose() => signal.Dispose();
}
