using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Recurrence;

public sealed class RecurrenceConsumerDefinition : ConsumerDefinition<RecurrenceConsumer>
{
    public const string Queue = "taskflow-recurrence";
    public static readonly Uri Address = new($"queue:{Queue}");

    public RecurrenceConsumerDefinition()
    {
        EndpointName = Queue;
        ConcurrentMessageLimit = 16;
    }

    /// <summary>Messages of one series are handled one at a time; the row lock would serialise them anyway.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RecurrenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 32;
        var partitioner = endpointConfigurator.CreatePartitioner(16);
        consumerConfigurator.Message<TaskSeriesChanged>(m => m.UsePartitioner(partitioner, c => c.Message.SeriesId));
        consumerConfigurator.Message<CreateNextOccurrence>(m => m.UsePartitioner(partitioner, c => c.Message.SeriesId));
        consumerConfigurator.Message<TaskCompleted>(m => m.UsePartitioner(partitioner, c => c.Message.Task.SeriesId ?? c.Message.TaskId));
    }
}
