using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Hosting;
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

        var lateBy = await db.Database.SqlQuery<double>($"""
            UPDATE reminder_state r
            SET current_state = {nameof(ReminderStateMachine.Fired)}, fired_at = f.sent_at, fired_for = r.planned_at,
                fired_token_id = f.token_id, due_token_id = NULL, updated_at = f.sent_at
            FROM unnest({fired.Select(f => f.ReminderId).ToArray()}, {fired.Select(f => f.Token!.Value).ToArray()},
                        {fired.Select(f => f.SentAt.ToUniversalTime()).ToArray()}) AS f (reminder_id, token_id, sent_at)
            WHERE r.correlation_id = f.reminder_id AND r.current_state = {nameof(ReminderStateMachine.Waiting)} AND r.due_token_id = f.token_id
            RETURNING extract(epoch FROM f.sent_at - r.fire_at)::float8 AS "Value"
            """).ToListAsync(context.CancellationToken);
        foreach (var seconds in lateBy)
            lateness.Record(seconds);
    }
}

public sealed class FiredRemindersDefinition : ConsumerDefinition<FiredReminders>
{
    public const string Queue = "taskflow-reminders-fired";

    /// <summary>Fired reminders recorded per statement.</summary>
    public const int BatchSize = 100;

    /// <summary>Nobody waits for the record of a firing: a batch may gather this long.</summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(50);

    public FiredRemindersDefinition()
    {
        EndpointName = Queue;
        ConcurrentMessageLimit = 2 * BatchSize;
    }

    /// <summary>
    /// One batch at a time: two batches never wait for each other's row locks, and a burst leaves the cores to what is
    /// late if delayed, the scheduler's sends and the notification inbox.
    /// </summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<FiredReminders> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 2 * BatchSize;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(Gathering)
            .SetTimeLimitStart(BatchTimeLimitStart.FromFirst)
            .SetConcurrencyLimit(1));
    }
}

/// <summary>How late reminders went out, one histogram per host (a consumer is made per batch).</summary>
public sealed class ReminderLateness(IMeterFactory meterFactory)
{
    /// <summary>From on time to the minutes a burst of thousands in one second has taken (README, "Measuring").</summary>
    private static readonly double[] Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly Histogram<double> lateness = TaskFlowTelemetry.CreateMeter(meterFactory).CreateHistogram(TaskFlowTelemetry.ReminderLateness, "s",
        "How long after its intended time a reminder was sent",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

    public void Record(double seconds) => lateness.Record(seconds);
}
