using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Components.Data;
using TaskFlow.Components.Bus;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Audit;

/// <summary>
/// Writes every task event to the audit log once, a batch of events in one statement and one transaction. No consumer
/// inbox: the key (event_id, occurred_at) with ON CONFLICT DO NOTHING makes a redelivered event harmless.
/// </summary>
public sealed class AuditConsumer(TaskFlowDbContext db, AuditPartitions partitions) :
    IConsumer<Batch<TaskCreated>>, IConsumer<Batch<TaskUpdated>>, IConsumer<Batch<TaskCompleted>>, IConsumer<Batch<TaskReopened>>,
    IConsumer<Batch<TaskDeleted>>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public Task Consume(ConsumeContext<Batch<TaskCreated>> context) => Record(context, "created");
    public Task Consume(ConsumeContext<Batch<TaskUpdated>> context) => Record(context, "updated");
    public Task Consume(ConsumeContext<Batch<TaskCompleted>> context) => Record(context, "completed");
    public Task Consume(ConsumeContext<Batch<TaskReopened>> context) => Record(context, "reopened");
    public Task Consume(ConsumeContext<Batch<TaskDeleted>> context) => Record(context, "deleted");

    private async Task Record<TEvent>(ConsumeContext<Batch<TEvent>> context, string type) where TEvent : class, ITaskEvent
    {
        var events = context.Message.Select(m => m.Message).ToList();
        List<object> parameters =
        [
            Parameter("type", type),
            Parameter("event_ids", events.Select(e => e.EventId).ToArray()),
            Parameter("occurred_ats", events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray()),
            Parameter("owner_ids", events.Select(e => e.OwnerId).ToArray()),
            Parameter("task_ids", events.Select(e => e.TaskId).ToArray()),
            Parameter("versions", events.Select(e => e.Version).ToArray()),
            Parameter("payloads", events.Select(e => JsonSerializer.Serialize(e, Web)).ToArray()),
        ];
        // A month without a known partition gets it ahead of the insert, in the same round trip and implicit transaction.
        var unknownMonths = partitions.Unknown(events.Select(e => e.OccurredAt));
        if (unknownMonths.Length > 0)
            parameters.Add(Parameter("months", unknownMonths.Select(m => m.ToUniversalTime()).ToArray()));
        await db.Database.ExecuteSqlRawAsync(unknownMonths.Length > 0 ? EnsurePartitionsThenInsert : Insert, parameters, context.CancellationToken);
        partitions.Remember(unknownMonths);
    }

    private const string Insert = """
        INSERT INTO audit_log (event_id, occurred_at, owner_id, task_id, task_version, event_type, payload)
        SELECT e.event_id, e.occurred_at, e.owner_id, e.task_id, e.task_version, @type, e.payload::jsonb
        FROM unnest(@event_ids, @occurred_ats, @owner_ids, @task_ids, @versions, @payloads)
            AS e (event_id, occurred_at, owner_id, task_id, task_version, payload)
        ON CONFLICT DO NOTHING
        """;

    private const string EnsurePartitionsThenInsert = "SELECT audit_log_ensure_partition(m) FROM unnest(@months) AS m;\n" + Insert;

    private static Npgsql.NpgsqlParameter Parameter(string name, object value) => new(name, value);
}

public sealed class AuditConsumerDefinition : ConsumerDefinition<AuditConsumer>
{
    public const string Queue = "taskflow-audit";

    /// <summary>
    /// Events stored per statement. A batch closes when full or <see cref="BatchWait"/> after its first event: no one
    /// waits on the audit log live, and at a few hundred changes a second that gathers a few events a transaction.
    /// </summary>
    public const int BatchSize = 100;

    public static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(10);

    public AuditConsumerDefinition()
    {
        EndpointName = Queue;
        // A full batch being stored while the next one fills, each event held until its batch is stored.
        ConcurrentMessageLimit = 2 * BatchSize;
    }

    /// <summary>Events of one task are audited one at a time, in the order they arrive; different tasks in parallel.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AuditConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 2 * BatchSize;
        endpointConfigurator.PartitionTaskEventsByTask(BatchSize);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(BatchWait)
            .SetConcurrencyLimit(1));
    }
}

public static class AuditRegistration
{
    public static IBusRegistrationConfigurator AddTaskFlowAudit(this IBusRegistrationConfigurator bus)
    {
        bus.AddSingleton<AuditPartitions>();
        bus.AddHostedService(services => services.GetRequiredService<AuditPartitions>());
        bus.AddConsumer<AuditConsumer, AuditConsumerDefinition>();
        return bus;
    }
}
