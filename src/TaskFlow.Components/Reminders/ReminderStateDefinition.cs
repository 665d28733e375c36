using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

public sealed class ReminderStateDefinition : SagaDefinition<ReminderState>
{
    public const string Queue = "taskflow-reminders";
    public static readonly Uri Address = new($"queue:{Queue}");

    public ReminderStateDefinition()
    {
        EndpointName = Queue;
        // Each message is one short transaction holding its instance's row lock: many reminders at once, one at a
        // time per reminder (the partitioner), so a burst of due reminders does not queue behind row locks.
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ReminderState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 64;
        var partitioner = endpointConfigurator.CreatePartitioner(32);
        sagaConfigurator.Message<ScheduleReminder>(m => m.UsePartitioner(partitioner, c => c.Message.ReminderId));
        sagaConfigurator.Message<CancelReminder>(m => m.UsePartitioner(partitioner, c => c.Message.ReminderId));
        sagaConfigurator.Message<SnoozeReminder>(m => m.UsePartitioner(partitioner, c => c.Message.ReminderId));
        sagaConfigurator.Message<ReminderExpired>(m => m.UsePartitioner(partitioner, c => c.Message.ReminderId));
    }
}
