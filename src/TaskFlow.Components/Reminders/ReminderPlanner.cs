using System.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Bus;
using TaskFlow.Components.Calendar;
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
public sealed class ReminderPlanner(TaskFlowDbContext db) :
    IConsumer<Batch<TaskCreated>>, IConsumer<Batch<TaskUpdated>>, IConsumer<Batch<TaskCompleted>>, IConsumer<Batch<TaskReopened>>,
    IConsumer<Batch<TaskDeleted>>
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
            var wanted = Wanted(change.TaskId, change.Task);
            var wantedIds = wanted.Select(r => r.Id).ToArray();
            if (change.Version > plan.TaskVersion)
            {
                plan.DiscardedIds = plan.ReminderIds.Except(wantedIds).ToArray();
                plan.ReminderIds = wantedIds;
                plan.TaskVersion = change.Version;
            }

            commands.AddRange(Commands(change, plan.DiscardedIds, wanted));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return commands;
    }

    private static IEnumerable<object> Commands(TaskChange change, Guid[] discarded, IReadOnlyList<(Guid Id, string Offset, DateTimeOffset FireAt)> wanted)
    {
        foreach (var gone in discarded)
            yield return new CancelReminder(gone, change.TaskId, change.Version, Discard: true);
        foreach (var (id, offset, fireAt) in wanted)
        {
            yield return change.Task!.Status == "completed"
                ? new CancelReminder(id, change.TaskId, change.Version, Discard: false)
                : new ScheduleReminder(id, change.TaskId, change.OwnerId, change.Version, change.Task.Title, change.Task.Due!, offset, fireAt);
        }
    }

    /// <summary>The reminders a task has: one per distinct offset, and none without a due date.</summary>
    public static IReadOnlyList<(Guid Id, string Offset, DateTimeOffset FireAt)> Wanted(Guid taskId, TaskSnapshot? task)
    {
        if (task?.Due is not { } due)
            return [];
        return task.Reminders
            .Distinct()
            .Select(offset => (ReminderIds.For(taskId, offset), offset,
                ReminderOffsets.TryParse(offset, out var span, out _) ? ReminderOffsets.Before(due.At, span) : due.At))
            .ToList();
    }

    /// <summary>
    /// The plan rows of the tasks, created empty where missing and locked: events of one task handled at once (two
    /// workers) queue up on its row instead of both planning. Rows are taken in task order, so two batches that share
    /// tasks never wait on each other in a circle.
    /// </summary>
    private async Task<Dictionary<Guid, ReminderPlan>> LockAsync(Guid[] taskIds, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($$"""
            INSERT INTO reminder_plan (task_id, task_version, reminder_ids)
            SELECT id, 0, '{}' FROM unnest({{taskIds}}) AS id ORDER BY id
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        return await db.ReminderPlans
            .FromSqlInterpolated($"SELECT * FROM reminder_plan WHERE task_id = ANY({taskIds}) ORDER BY task_id FOR UPDATE")
            .AsTracking()
            .ToDictionaryAsync(p => p.TaskId, cancellationToken);
    }

    private sealed record TaskChange(Guid TaskId, Guid OwnerId, int Version, TaskSnapshot? Task)
    {
        public static TaskChange Of(ITaskEvent e, TaskSnapshot? task) => new(e.TaskId, e.OwnerId, e.Version, task);
    }
}

/// <summary>What <see cref="ReminderPlanner"/> planned last for a task.</summary>
public sealed class ReminderPlan
{
    public Guid TaskId { get; init; }
    public int TaskVersion { get; set; }
    public Guid[] ReminderIds { get; set; } = [];

    /// <summary>The reminders the plan of <see cref="TaskVersion"/> discarded, to discard again when its commands are sent again.</summary>
    public Guid[] DiscardedIds { get; set; } = [];
}

public sealed class ReminderPlannerDefinition : ConsumerDefinition<ReminderPlanner>
{
    public const string Queue = "taskflow-reminder-planner";

    /// <summary>
    /// Events in flight at once, one per partition: as many as the saga it feeds takes, so that a burst of creations is
    /// not planned last, behind the audit and the notifications of the same events, although only its reminders have a
    /// deadline.
    /// </summary>
    public const int AtOnce = 64;

    /// <summary>How long a batch waits for more events after its first: planning waits this long at most.</summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(50);

    public ReminderPlannerDefinition()
    {
        EndpointName = Queue;
        ConcurrentMessageLimit = AtOnce;
    }

    /// <summary>
    /// Events of one task are planned in the order they arrive: the partitioner sits before the batches, and an event
    /// holds its partition until its batch is consumed (MassTransit acknowledges a batched message only then), so no
    /// later event of its task, of any type, can be planned before it.
    /// </summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ReminderPlanner> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 2 * AtOnce;
        endpointConfigurator.PartitionTaskEventsByTask(AtOnce);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(AtOnce / 2)
            .SetConcurrencyLimit(2)
            .SetTimeLimit(Gathering)
            .SetTimeLimitStart(BatchTimeLimitStart.FromFirst));
    }
}
