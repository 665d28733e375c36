using MassTransit;
using TaskFlow.Components.Bus;

namespace TaskFlow.Components.Audit;

public sealed class AuditConsumerDefinition() : BatchConsumerDefinition<AuditConsumer>(Queue,
    // Events stored per statement. A batch closes when full or 10 ms after its first event: no one waits on the audit
    // log live, and at a few hundred changes a second that gathers a few events a transaction.
    batchSize: BatchSize, gathering: TimeSpan.FromMilliseconds(10),
    batchesAtOnce: 1,
    // A full batch being stored while the next one fills, each event held until its batch is stored.
    inFlight: 2 * BatchSize, prefetch: 2 * BatchSize)
{
    public const string Queue = "taskflow-audit";
    private const int BatchSize = 100;

    /// <summary>Events of one task are audited one at a time, in the order they arrive; different tasks in parallel.</summary>
    protected override void ConfigureBeforeBatches(IReceiveEndpointConfigurator endpoint) => endpoint.PartitionTaskEventsByTask(BatchSize);
}
