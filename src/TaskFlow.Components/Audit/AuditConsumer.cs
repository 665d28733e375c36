using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Data;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Audit;

/// <summary>
/// Writes every task event to the audit log once, a batch of events in one statement and one transaction. No consumer
/// inbox: the key (event_id, occurred_at) with ON CONFLICT DO NOTHING makes a redelivered event harmless.
/// </summary>
public sealed class AuditConsumer(TaskFlowDbContext db, AuditPartitions partitions) : ITaskEventBatchConsumer
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
        await db.Database.ExecuteSqlRawAsync(unknownMonths.Length > 0 ? AuditStatements.EnsurePartitionsThenInsert : AuditStatements.Insert, parameters, context.CancellationToken);
        partitions.Remember(unknownMonths);
    }

    private static Npgsql.NpgsqlParameter Parameter(string name, object value) => new(name, value);
}
