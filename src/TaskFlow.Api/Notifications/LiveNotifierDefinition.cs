using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// A push only hands the message to the owner's connections, so what bounds a burst (ten thousand reminders in one
/// second) is how many notifications are on their way from the broker at once: MassTransit's default prefetch of twice
/// the processor count waits for an acknowledgement round trip every few messages. Batches one at a time, in the order
/// the worker published them, and single notifications one owner at a time, so each owner's pushes keep the order of
/// their ids.
/// </summary>
public sealed class LiveNotifierDefinition : ConsumerDefinition<LiveNotifier>
{
    private const int InFlight = 256;

    public LiveNotifierDefinition() => ConcurrentMessageLimit = InFlight;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LiveNotifier> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = InFlight;
        var partitioner = endpointConfigurator.CreatePartitioner(64);
        consumerConfigurator.Message<NotificationAdded>(m => m.UsePartitioner(partitioner, c => c.Message.OwnerId));
        var inTurn = endpointConfigurator.CreatePartitioner(1);
        consumerConfigurator.Message<NotificationsAdded>(m => m.UsePartitioner(inTurn, _ => Guid.Empty));
    }
}
