using System.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Data;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// Turns task events into one command per reminder for the <see cref="ReminderStateMachine"/>. It remembers, per task,
/// the latest version it planned, the reminders it planned then and the ones that plan discarded (table reminder_plan),
/// so it can discard the ones a change removed, and it ignores an event older than what it already planned.
/// <para>
/// It takes events in batches and runs without the inbox (ADR 0007): a batch's plans are recorded in one transaction,
/// its commands are sent after the commit, and its events are acknowledged after that. An event that needs no plan (a
/// creation without reminders, an update of other fields) costs no transaction. An event of the version already
/// planned comes back only when its commands may not have gone out (a worker killed after the commit): its commands are
/// sent again, and the saga takes a command of the version it already has as a no-op.
/// </para>
/// </summary>
public sealed class ReminderPlanner(TaskFlowDbContext db) : ITaskEventBatchConsumer
{
    /// <summary>The task fields a reminder depends on.</summary>
    private static readonly string[] RelevantFields = ["title", "due", "reminders", "status"];

    // Most tasks are created without reminders: nothing to plan, and no older event can follow a creation. Any later
    // event still records its version, so an earlier one overtaking it (two workers) is recognised as old.
    public Task Consume(ConsumeContext<Batch<TaskCreated>> context) =>
        PlanAsync(context, context.Message
            .Select(m => TaskChange.Of(m.Message, m.Message.Task))
            .Where(c => c.Task is { Due: not null, Reminders.Count: > 0 }));

    public Task Consume(ConsumeContext<Batch<TaskUpdated>> context) =>
        PlanAsync(context, context.Message
            .Where(m => m.Message.Changed.Intersect(RelevantFields).Any())
            .Select(m => TaskChange.Of(m.Message, m.Message.Task)));

    public Task Consume(ConsumeContext<Batch<TaskCompleted>> context) =>
        PlanAsync(context, context.Message.Select(m => TaskChange.Of(m.Message, m.Message.Task)));

    public Task Consume(ConsumeContext<Batch<TaskReopened>> context) =>
        PlanAsync(context, context.Message.Select(m => TaskChange.Of(m.Message, m.Message.Task)));

    public Task Consume(ConsumeContext<Batch<TaskDeleted>> context) =>
        PlanAsync(context, context.Message.Select(m => TaskChange.Of(m.Message, task: null)));

    private async Task PlanAsync(ConsumeContext context, IEnumerable<TaskChange> events)
    {
        var changes = events.ToList();
        if (changes.Count == 0)
            return;

        var commands = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => RecordAsync(changes, context.CancellationToken));
        // Different reminders each: the saga orders the commands of one reminder by task version, not by arrival.
        var endpoint = await context.GetSendEndpoint(ReminderStateDefinition.Address);
        await Task.WhenAll(commands.Select(command => endpoint.Send(command, context.CancellationToken)));
    }

    /// <summary>Records the plans of a batch in one transaction and returns the commands they need sent.</summary>
    private async Task<List<object>> RecordAsync(IReadOnlyList<TaskChange> changes, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var plans = await LockAsync(changes.Select(c => c.TaskId).Distinct().Order().ToArray(), cancellationToken);
        var commands = new List<object>();
        foreach (var change in changes)
        {
            var plan = plans[change.TaskId];
            if (change.Version < plan.TaskVersion)
                continue;
            var wanted = ReminderCommands.Wanted(change.TaskId, change.Task);
            var wantedIds = wanted.Select(r => r.Id).ToArray();
            if (change.Version > plan.TaskVersion)
            {
                plan.DiscardedIds = plan.ReminderIds.Except(wantedIds).ToArray();
                plan.ReminderIds = wantedIds;
                plan.TaskVersion = change.Version;
            }

            commands.AddRange(ReminderCommands.For(change, plan.DiscardedIds, wanted));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return commands;
    }

    /// <summary>
    /// The plan rows of the tasks, created empty where missing and locked: events of one task handled at once (two
    /// workers) queue up on its row instead of both planning. Rows are taken in task order, so two batches that share
    /// tasks never wait on each other in a circle.
    /// </summary>
    private async Task<Dictionary<Guid, ReminderPlan>> LockAsync(Guid[] taskIds, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(ReminderStatements.CreateMissingPlans(taskIds), cancellationToken);
        return await db.ReminderPlans
            .FromSqlInterpolated(ReminderStatements.LockPlans(taskIds))
            .AsTracking()
            .ToDictionaryAsync(p => p.TaskId, cancellationToken);
    }
}
