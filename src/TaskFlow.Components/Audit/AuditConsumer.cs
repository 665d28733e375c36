using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Components.Data;
using TaskFlow.Components.Messaging;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Audit;

/// <summary>
/// Writes every task event to the audit log once. The inbox drops redelivered messages; the key
/// (event_id, occurred_at) with ON CONFLICT DO NOTHING makes a repeat harmless even without it.
/// </summary>
public sealed class AuditConsumer(TaskFlowDbContext db, AuditPartitions partitions) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public Task Consume(ConsumeContext<TaskCreated> context) => Record(context.Message, "created", context.CancellationToken);
    public Task Consume(ConsumeContext<TaskUpdated> context) => Record(context.Message, "updated", context.CancellationToken);
    public Task Consume(ConsumeContext<TaskCompleted> context) => Record(context.Message, "completed", context.CancellationToken);
    public Task Consume(ConsumeContext<TaskReopened> context) => Record(context.Message, "reopened", context.CancellationToken);
    public Task Consume(ConsumeContext<TaskDeleted> context) => Record(context.Message, "deleted", context.CancellationToken);

    private async Task Record<TEvent>(TEvent message, string type, CancellationToken cancellationToken) where TEvent : ITaskEvent
    {
        await partitions.EnsureAsync(db, message.OccurredAt, cancellationToken);
        var payload = JsonSerializer.Serialize(message, Web);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO audit_log (event_id, occurred_at, owner_id, task_id, task_version, event_type, payload)
            VALUES ({message.EventId}, {message.OccurredAt}, {message.OwnerId}, {message.TaskId}, {message.Version}, {type}, {payload}::jsonb)
            ON CONFLICT DO NOTHING
            """, cancellationToken);
    }
}

public sealed class AuditConsumerDefinition : ConsumerDefinition<AuditConsumer>
{
    public const string Queue = "taskflow-audit";

    public AuditConsumerDefinition()
    {
        EndpointName = Queue;
        // Each message is a few short PostgreSQL transactions (inbox, insert): throughput comes from running
        // many at once, well within PostgreSQL's connection pool. MassTransit's default is twice the core count.
        ConcurrentMessageLimit = 32;
    }

    /// <summary>Events of one task are audited one at a time, in the order they arrive; different tasks in parallel.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AuditConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 64;
        var partitioner = endpointConfigurator.CreatePartitioner(32);
        consumerConfigurator.PartitionByTask(partitioner);
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
