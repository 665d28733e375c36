namespace TaskFlow.Components.Reminders;

/// <summary>
/// The reminder feature's SQL beyond what EF Core writes, in one place: the planner's row locks and the batch record of
/// fired reminders. Table and column names are those of migrations/ (reminder_plan, reminder_state).
/// </summary>
internal static class ReminderStatements
{
    /// <summary>An empty plan row for each task that has none.</summary>
    public static FormattableString CreateMissingPlans(Guid[] taskIds) => $$"""
        INSERT INTO reminder_plan (task_id, task_version, reminder_ids)
        SELECT id, 0, '{}' FROM unnest({{taskIds}}) AS id ORDER BY id
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The tasks' plan rows, locked in task order.</summary>
    public static FormattableString LockPlans(Guid[] taskIds) =>
        $"SELECT * FROM reminder_plan WHERE task_id = ANY({taskIds}) ORDER BY task_id FOR UPDATE";

    /// <summary>
    /// Waiting becomes Fired for each reminder whose due token is still the token its event went out with; returns how
    /// many seconds after its fire time each of those was sent.
    /// </summary>
    public static FormattableString RecordFired(Guid[] reminderIds, Guid[] tokenIds, DateTimeOffset[] sentAt) => $"""
        UPDATE reminder_state r
        SET current_state = {nameof(ReminderStateMachine.Fired)}, fired_at = f.sent_at, fired_for = r.planned_at,
            fired_token_id = f.token_id, due_token_id = NULL, updated_at = f.sent_at
        FROM unnest({reminderIds}, {tokenIds}, {sentAt}) AS f (reminder_id, token_id, sent_at)
        WHERE r.correlation_id = f.reminder_id AND r.current_state = {nameof(ReminderStateMachine.Waiting)} AND r.due_token_id = f.token_id
        RETURNING extract(epoch FROM f.sent_at - r.fire_at)::float8 AS "Value"
        """;
}
