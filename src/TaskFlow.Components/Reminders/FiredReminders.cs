using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// Records the reminders whose events went out as fired, a batch in one statement: when ten thousand fall due in one
/// second this is a hundred statements, not ten thousand saga transactions competing with the notification inbox. Only
/// this transition happens outside <see cref="ReminderStateMachine"/>, and it is the one the machine made on the event:
/// Waiting becomes Fired when the event's scheduling token is still the reminder's due token. That makes it idempotent
/// (a redelivery finds the reminder fired, its due token gone), so the queue needs no inbox. The UPDATE takes the rows'
/// locks as the saga repository does, so a plan for the same reminder waits for it, or it for the plan.
/// </summary>
public sealed class FiredReminders(TaskFlowDbContext db, ReminderLateness lateness, TimeProvider clock) : IConsumer<Batch<ReminderTriggered>>
{
    public async Task Consume(ConsumeContext<Batch<ReminderTriggered>> context)
    {
        var now = clock.GetUtcNow();
        var fired = context.Message
            .Select(m => (m.Message.ReminderId, Token: m.GetSchedulingTokenId(),
                // When the scheduler actually published it, as MassTransit's Quartz scheduler stamps it.
                SentAt: m.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent) ?? now))
            .Where(f => f.Token is not null)
            .DistinctBy(f => f.Token)
            .ToList();
        if (fired.Count == 0)
            return;

        var lateBy = await db.Database.SqlQuery<double>(ReminderStatements.RecordFired(
                fired.Select(f => f.ReminderId).ToArray(), fired.Select(f => f.Token!.Value).ToArray(),
                fired.Select(f => f.SentAt.ToUniversalTime()).ToArray()))
            .ToListAsync(context.CancellationToken);
        foreach (var seconds in lateBy)
            lateness.Record(seconds);
    }
}
