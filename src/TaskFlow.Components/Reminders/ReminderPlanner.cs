using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Messaging;
using TaskFlow.Components.Scheduling;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// Turns task events into one command per reminder for the <see cref="ReminderStateMachine"/>. It remembers, per task,
/// the latest version it planned and the reminders it planned then (table reminder_plan), so it can discard the ones a
/// change removed, and it ignores an event older than what it already planned.
/// </summary>
public sealed class ReminderPlanner(TaskFlowDbContext db) :
    IConsumer<TaskCreated>, IConsumer<TaskUpdated>, IConsumer<TaskCompleted>, IConsumer<TaskReopened>, IConsumer<TaskDeleted>
{
    /// <summary>The task fields a reminder depends on.</summary>
    private static readonly string[] RelevantFields = ["title", "due", "reminders", "status"];

    public Task Consume(ConsumeContext<TaskCreated> context) =>
        Plan(context, context.Message.TaskId, context.Message.OwnerId, context.Message.Version, context.Message.Task, created: true);

    public Task Consume(ConsumeContext<TaskUpdated> context) =>
        context.Message.Changed.Intersect(RelevantFields).Any()
            ? Plan(context, context.Message.TaskId, context.Message.OwnerId, context.Message.Version, context.Message.Task)
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<TaskCompleted> context) =>
        Plan(context, context.Message.TaskId, context.Message.OwnerId, context.Message.Version, context.Message.Task);

    public Task Consume(ConsumeContext<TaskReopened> context) =>
        Plan(context, context.Message.TaskId, context.Message.OwnerId, context.Message.Version, context.Message.Task);

    public Task Consume(ConsumeContext<TaskDeleted> context) =>
        Plan(context, context.Message.TaskId, context.Message.OwnerId, context.Message.Version, task: null);

    private async Task Plan(ConsumeContext context, Guid taskId, Guid ownerId, int version, TaskSnapshot? task, bool created = false)
    {
        var wanted = Wanted(taskId, task);
        // Most tasks are created without reminders: nothing to plan, and no older event can follow a creation. Any
        // later event still records its version, so an earlier one overtaking it (two workers) is recognised as old.
        if (wanted.Count == 0 && created)
            return;

        var wantedIds = wanted.Select(r => r.Id).ToArray();
        ReminderPlan? previous = null;
        if (created)
        {
            // A creation is its task's first event, so it normally finds no plan: one statement records its plan, where
            // locking an empty row and updating it would take three. A row already there means a later event of the
            // task overtook this one (two workers) and planned already.
            if (!await RecordFirstPlanAsync(taskId, version, wantedIds, context.CancellationToken))
                return;
        }
        else
        {
            previous = await LockAsync(taskId, context.CancellationToken);
            if (version <= previous.TaskVersion)
                return;
        }

        var endpoint = await context.GetSendEndpoint(ReminderStateDefinition.Address);
        foreach (var gone in (previous?.ReminderIds ?? []).Except(wantedIds))
            await endpoint.Send(new CancelReminder(gone, taskId, version, Discard: true), context.CancellationToken);

        foreach (var (id, offset, fireAt) in wanted)
        {
            object command = task!.Status == "completed"
                ? new CancelReminder(id, taskId, version, Discard: false)
                : new ScheduleReminder(id, taskId, ownerId, version, task.Title, task.Due!, offset, fireAt);
            await endpoint.Send(command, context.CancellationToken);
        }

        if (previous is not null)
        {
            previous.TaskVersion = version;
            previous.ReminderIds = wantedIds;
        }
        await db.SaveChangesAsync(context.CancellationToken);
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

    private async Task<bool> RecordFirstPlanAsync(Guid taskId, int version, Guid[] reminderIds, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO reminder_plan (task_id, task_version, reminder_ids) VALUES ({taskId}, {version}, {reminderIds}) ON CONFLICT DO NOTHING",
            cancellationToken) == 1;

    private async Task<ReminderPlan> LockAsync(Guid taskId, CancellationToken cancellationToken)
    {
        // Two events of one task handled at once (two workers) queue up on this row instead of both planning.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO reminder_plan (task_id, task_version, reminder_ids) VALUES ({taskId}, 0, '{{}}') ON CONFLICT DO NOTHING",
            cancellationToken);
        return await db.ReminderPlans
            .FromSqlInterpolated($"SELECT * FROM reminder_plan WHERE task_id = {taskId} FOR UPDATE")
            .AsTracking()
            .SingleAsync(cancellationToken);
    }
}

/// <summary>What <see cref="ReminderPlanner"/> planned last for a task.</summary>
public sealed class ReminderPlan
{
    public Guid TaskId { get; init; }
    public int TaskVersion { get; set; }
    public Guid[] ReminderIds { get; set; } = [];
}

public sealed class ReminderPlannerDefinition : ConsumerDefinition<ReminderPlanner>
{
    public const string Queue = "taskflow-reminder-planner";

    public ReminderPlannerDefinition()
    {
        EndpointName = Queue;
        // As many at once as the saga it feeds: with fewer, a burst of creations is planned last, behind the audit and
        // the notifications of the same events, although only its reminders have a deadline.
        ConcurrentMessageLimit = 32;
    }

    /// <summary>Events of one task are planned in the order they arrive.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ReminderPlanner> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 64;
        var partitioner = endpointConfigurator.CreatePartitioner(32);
        consumerConfigurator.PartitionByTask(partitioner);
    }
}
