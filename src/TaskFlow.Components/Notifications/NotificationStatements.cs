using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// The notifications feature's own SQL, all of it in one place: statements EF Core cannot express (an insert that draws
/// ids in arrival order and reads back the owners' preferences in the same round trip, an upsert).
/// </summary>
public static class NotificationStatements
{
    /// <summary>
    /// Across workers too, one owner's notifications commit one batch at a time, so their ids follow commit order.
    /// Every owner of the batch, in one order, so two batches cannot deadlock.
    /// </summary>
    internal static Task LockOwnersAsync(this DatabaseFacade database, string[] owners, CancellationToken cancellationToken) =>
        database.ExecuteSqlInterpolatedAsync(
            $"SELECT pg_advisory_xact_lock(hashtextextended(o, 7)) FROM (SELECT o FROM unnest({owners}) AS o ORDER BY o) AS sorted",
            cancellationToken);

    /// <summary>
    /// Stores <paramref name="events"/> once each and reads back those stored now or, for the ids in
    /// <paramref name="again"/>, by an earlier delivery. In arrival order, one statement: the ids are drawn row by row as
    /// the select yields them. The owners' zones and preferences come back with the rows: deciding on the pushes costs no
    /// round trip.
    /// </summary>
    internal static Task<List<StoredNotification>> StoreAsync(
        this DatabaseFacade database, IReadOnlyList<IncomingNotification> events, Guid[] again, CancellationToken cancellationToken) =>
        database.SqlQuery<StoredNotification>($"""
            WITH incoming AS (
                SELECT * FROM unnest({events.Select(e => e.OwnerId).ToArray()}, {events.Select(e => e.EventId).ToArray()},
                                     {events.Select(e => e.Kind).ToArray()}, {events.Select(e => e.TaskId).ToArray()},
                                     {events.Select(e => e.Title).ToArray()}, {events.Select(e => e.TaskVersion).ToArray()},
                                     {events.Select(e => e.ReminderId).ToArray()}, {events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray()},
                                     {events.Select(e => e.ReminderToken).ToArray()}, {events.Select(e => e.Origin).ToArray()})
                    WITH ORDINALITY AS i (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at, reminder_token, origin, n)
            ),
            stored AS (
                INSERT INTO notifications (owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at, origin)
                SELECT i.owner_id, i.event_id, i.kind, i.task_id, i.title, i.task_version, i.reminder_id, i.occurred_at, i.origin
                FROM incoming i
                WHERE EXISTS (SELECT 1 FROM users WHERE id = i.owner_id)
                  -- A fired reminder only while its token is the reminder's, due or fired with: any other is an event
                  -- cancelled after the scheduler had it (ADR 0007). Stored by an earlier delivery, it was not stale then.
                  AND (i.reminder_id IS NULL OR EXISTS (
                      SELECT 1 FROM reminder_state r
                      WHERE r.correlation_id = i.reminder_id AND i.reminder_token IN (r.due_token_id, r.fired_token_id)))
                ORDER BY i.n
                ON CONFLICT (event_id) DO NOTHING
                RETURNING id, owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at, origin
            ),
            -- The statement's snapshot predates its insert: these are the ones stored by an earlier delivery.
            pushed_again AS (
                SELECT id, owner_id, event_id, kind, task_id, title, task_version, reminder_id, occurred_at, origin
                FROM notifications WHERE event_id = ANY({again})
            ),
            known AS (SELECT * FROM stored UNION ALL SELECT * FROM pushed_again)
            SELECT s.id, s.owner_id, s.event_id, s.kind, s.task_id, s.title, s.task_version, s.reminder_id, s.occurred_at, s.origin,
                   u.time_zone, p.live_kinds, p.quiet_start, p.quiet_end
            FROM known s
            JOIN users u ON u.id = s.owner_id
            LEFT JOIN notification_preferences p ON p.owner_id = s.owner_id
            ORDER BY s.id
            """)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Replaces the owner's preferences whole and answers their profile's zone, or null when the owner is gone. An upsert,
    /// so two first saves at once do not collide on the key; the profile's zone comes back with the write.
    /// </summary>
    public static async Task<string?> SavePreferencesAsync(
        this DatabaseFacade database, Guid ownerId, IReadOnlyList<string> live, QuietHours? quiet, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var zone = await database.SqlQuery<string>($"""
            WITH saved AS (
                INSERT INTO notification_preferences (owner_id, live_kinds, quiet_start, quiet_end, updated_at)
                SELECT id, {live.ToArray()}, {quiet?.Start}, {quiet?.End}, {now} FROM users WHERE id = {ownerId}
                ON CONFLICT (owner_id) DO UPDATE SET live_kinds = excluded.live_kinds, quiet_start = excluded.quiet_start,
                    quiet_end = excluded.quiet_end, updated_at = excluded.updated_at
                RETURNING owner_id
            )
            SELECT u.time_zone AS "Value" FROM saved JOIN users u ON u.id = saved.owner_id
            """).ToListAsync(cancellationToken);
        return zone is [var timeZone] ? timeZone : null;
    }
}
