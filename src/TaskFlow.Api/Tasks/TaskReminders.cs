using MassTransit;
using TaskFlow.Components.Reminders;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;
using TaskFlow.Contracts;

namespace TaskFlow.Api.Tasks;

public static class TaskReminders
{
    public const int LongestSnoozeMinutes = 1440;

    /// <summary>Each reminder of the task with what the reminder saga last made of it.</summary>
    public static async Task<IReadOnlyList<ReminderResponse>> DescribeAsync(TaskItem task, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        if (task.ReminderOffsets.Count == 0)
            return [];
        var states = await db.Reminders.AsNoTracking()
            .Where(r => r.TaskId == task.Id)
            .ToDictionaryAsync(r => r.CorrelationId, cancellationToken);

        return task.ReminderOffsets.Distinct().Select(offset =>
        {
            var text = ReminderOffsets.Format(offset);
            var id = ReminderIds.For(task.Id, text);
            var plannedAt = task.DueAt - offset;
            // Until the saga has applied the task's latest plan, what it holds describes an older one.
            if (plannedAt is null || !states.TryGetValue(id, out var state) || state.PlannedAt != plannedAt
                || (task.Status == TaskItemStatus.Completed) != (state.CurrentState == "Stopped"))
                return new ReminderResponse(id, text, "pending", plannedAt, null);
            return new ReminderResponse(id, text, StateName(state.CurrentState), state.FireAt, state.FiredAt);
        }).ToList();
    }

    public static async Task<Results<Accepted<ReminderResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Snooze(
        Guid id, Guid reminderId, SnoozeRequest request, ClaimsPrincipal principal, TaskFlowDbContext db,
        ISendEndpointProvider sendEndpoints, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Minutes is not (>= 1 and <= LongestSnoozeMinutes))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["minutes"] = [$"Must be a whole number of minutes from 1 to {LongestSnoozeMinutes}."],
            });
        }

        var task = await db.FindOwnedAsync(id, principal.GetUserId(), cancellationToken);
        if (task is null)
            return TypedResults.NotFound();
        var reminder = (await DescribeAsync(task, db, cancellationToken)).FirstOrDefault(r => r.Id == reminderId);
        if (reminder is null)
            return TypedResults.NotFound();
        if (reminder.State is not ("scheduled" or "fired"))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The reminder is not active.",
                detail: $"Only a scheduled or fired reminder can be snoozed; this one is {reminder.State}.");
        }

        var until = clock.GetUtcNowForStorage().AddMinutes(request.Minutes.Value);
        var endpoint = await sendEndpoints.GetSendEndpoint(ReminderStateDefinition.Address);
        await endpoint.Send(new SnoozeReminder(reminderId, task.Id, task.OwnerId, until), cancellationToken);
        // Nothing else changes: the save commits just the command, through the outbox.
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, reminder with { State = "scheduled", FireAt = until });
    }

    private static string StateName(string state) => state switch
    {
        "Waiting" => "scheduled",
        "Fired" => "fired",
        "Skipped" => "skipped",
        "Stopped" => "stopped",
        _ => "pending",
    };
}
