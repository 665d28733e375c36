using MassTransit;
using Microsoft.Extensions.Options;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// One instance per (task, reminder). The planner sends the whole plan after every relevant task change; this machine
/// turns it into the <see cref="ReminderTriggered"/> event itself, scheduled for publication at the fire time, so that
/// when ten thousand reminders fall due in one second the scheduler only has to publish them: nothing else is left to
/// do per reminder at that moment (ADR 0007). Moving or stopping a reminder cancels its scheduled event by token. The
/// one transition this machine does not make is Waiting → Fired when the event went out: <see cref="FiredReminders"/>
/// records those a batch at a time, and only for an event whose token is still the instance's due token.
/// <para>What a reminder does with each message is decided by <see cref="ReminderTiming"/>; this machine applies it.</para>
/// </summary>
public sealed class ReminderStateMachine : MassTransitStateMachine<ReminderState>
{
    private readonly TimeProvider clock;

    public ReminderStateMachine(TimeProvider clock, IOptions<ReminderOptions> options)
    {
        this.clock = clock;
        var settings = options.Value;
        InstanceState(x => x.CurrentState);

        Event(() => Planned, e => e.CorrelateById(c => c.Message.ReminderId));
        Event(() => Cancelled, e => e.CorrelateById(c => c.Message.ReminderId).OnMissingInstance(m => m.Discard()));
        Event(() => Snoozed, e => e.CorrelateById(c => c.Message.ReminderId).OnMissingInstance(m => m.Discard()));
        Schedule(() => Expiry, x => x.ExpiryTokenId, s => s.Received = r =>
            r.CorrelateById(c => c.Message.ReminderId).OnMissingInstance(m => m.Discard()));

        // A plan or cancel of a task version already applied changes nothing: one reminder's commands may arrive out of
        // version order (two workers plan side by side; a planner that crashed after its commit sends them again).
        var any = new[] { Waiting, Fired, Skipped, Stopped, Discarded };
        Initially(Plans(When(Planned), settings));
        During(any, Plans(When(Planned, c => c.Message.TaskVersion > c.Saga.TaskVersion), settings));

        During(any,
            Follows(When(Cancelled, c => c.Message.TaskVersion > c.Saga.TaskVersion)
                    .Then(c => c.Saga.TaskVersion = c.Message.TaskVersion),
                (c, _) => ReminderTiming.Decide(c.Saga, c.Message))
            .If(c => c.Message.Discard, discard => discard.Schedule(Expiry, c => new ReminderExpired(c.Saga.CorrelationId),
                _ => clock.GetUtcNow().Add(settings.DiscardedKeptFor).UtcDateTime)));

        During(Waiting, Fired, Follows(When(Snoozed), (c, _) => ReminderTiming.Decide(c.Saga, c.Message)));

        During(Discarded, When(Expiry.Received).Finalize());

        SetCompletedWhenFinalized();
    }

    /// <summary>Scheduled: waiting for its time.</summary>
    public State Waiting { get; private set; } = null!;

    /// <summary>Its event went out (<see cref="FiredReminders"/>), or a plan asked again for a time it already fired for.</summary>
    public State Fired { get; private set; } = null!;

    /// <summary>Set on a task that was already overdue: nothing to remind of.</summary>
    public State Skipped { get; private set; } = null!;

    /// <summary>The task was completed; reopening it may schedule the reminder again.</summary>
    public State Stopped { get; private set; } = null!;

    /// <summary>The reminder or its task is gone; the instance is removed after <see cref="ReminderOptions.DiscardedKeptFor"/>.</summary>
    public State Discarded { get; private set; } = null!;

    public Event<ScheduleReminder> Planned { get; private set; } = null!;
    public Event<CancelReminder> Cancelled { get; private set; } = null!;
    public Event<SnoozeReminder> Snoozed { get; private set; } = null!;

    public Schedule<ReminderState, ReminderExpired> Expiry { get; private set; } = null!;

    /// <summary>A plan brings a discarded reminder back (its expiry unscheduled) and carries the task's latest fields.</summary>
    private EventActivityBinder<ReminderState, ScheduleReminder> Plans(
        EventActivityBinder<ReminderState, ScheduleReminder> binder, ReminderOptions settings) =>
        Follows(binder.Unschedule(Expiry).Then(c => c.Saga.Apply(c.Message)),
            (c, now) => ReminderTiming.Decide(c.Saga, c.Message, now, settings.RefreshHorizon));

    /// <summary>
    /// Applies the step <paramref name="decide"/> takes: the instance's times, its scheduled event (replaced or
    /// cancelled), then its state. The clock is read once, so the decision and the update time agree.
    /// </summary>
    private EventActivityBinder<ReminderState, T> Follows<T>(
        EventActivityBinder<ReminderState, T> binder, Func<BehaviorContext<ReminderState, T>, DateTimeOffset, ReminderStep> decide)
        where T : class =>
        binder.ThenAsync(async context =>
        {
            var now = clock.GetUtcNow();
            var step = decide(context, now);
            (context.Saga.PlannedAt, context.Saga.FireAt, context.Saga.UpdatedAt) = (step.PlannedAt, step.FireAt, now);
            if (step.Schedules)
                await ScheduleFiringAsync(context);
            else if (step.Cancels)
                await CancelFiringAsync(context);
            if (StateAfter(step.Decision) is { } next)
                await context.TransitionToState(next);
        });

    private State? StateAfter(ReminderDecision decision) => decision switch
    {
        ReminderDecision.Later or ReminderDecision.Now or ReminderDecision.Refresh or ReminderDecision.Snooze => Waiting,
        ReminderDecision.AlreadyFired => Fired,
        ReminderDecision.Overdue => Skipped,
        ReminderDecision.Stop => Stopped,
        ReminderDecision.Discard => Discarded,
        _ => null, // Keep: it stays where it is.
    };

    /// <summary>Schedules the event for the instance's fire time (at once if that has passed) and cancels the one it replaces.</summary>
    private static async Task ScheduleFiringAsync(BehaviorContext<ReminderState> context)
    {
        var scheduler = context.GetPayload<MessageSchedulerContext>();
        var previous = context.Saga.DueTokenId;
        var scheduled = await scheduler.SchedulePublish(context.Saga.FireAt.UtcDateTime, Triggered(context.Saga), context.CancellationToken);
        context.Saga.DueTokenId = scheduled.TokenId;
        if (previous is { } token)
            await scheduler.CancelScheduledPublish<ReminderTriggered>(token, context.CancellationToken);
    }

    private static async Task CancelFiringAsync(BehaviorContext<ReminderState> context)
    {
        if (context.Saga.DueTokenId is not { } token)
            return;
        await context.GetPayload<MessageSchedulerContext>().CancelScheduledPublish<ReminderTriggered>(token, context.CancellationToken);
        context.Saga.DueTokenId = null;
    }

    private static ReminderTriggered Triggered(ReminderState reminder) => new(
        NewId.NextGuid(), reminder.CorrelationId, reminder.TaskId, reminder.OwnerId, reminder.Title, reminder.Due, reminder.Offset, reminder.FireAt);
}
