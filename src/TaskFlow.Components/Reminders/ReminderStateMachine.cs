using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// One instance per (task, reminder). The planner sends the whole plan after every relevant task change; this machine
/// turns it into the <see cref="ReminderTriggered"/> event itself, scheduled for publication at the fire time, so that
/// when ten thousand reminders fall due in one second the scheduler only has to publish them: nothing else is left to
/// do per reminder at that moment (ADR 0007). Moving or stopping a reminder cancels its scheduled event by token. The
/// one transition this machine does not make is Waiting → Fired when the event went out: <see cref="FiredReminders"/>
/// records those a batch at a time, and only for an event whose token is still the instance's due token.
/// </summary>
public sealed class ReminderStateMachine : MassTransitStateMachine<ReminderState>
{
    /// <summary>
    /// A discarded reminder is kept this long before it is removed: long enough that a plan delayed in a queue can no
    /// longer arrive and bring it back with an older version.
    /// </summary>
    public static readonly TimeSpan DiscardedKeptFor = TimeSpan.FromDays(1);

    public ReminderStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Planned, e => e.CorrelateById(c => c.Message.ReminderId));
        Event(() => Cancelled, e =>
        {
            e.CorrelateById(c => c.Message.ReminderId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Snoozed, e =>
        {
            e.CorrelateById(c => c.Message.ReminderId);
            e.OnMissingInstance(m => m.Discard());
        });
        Schedule(() => Expiry, x => x.ExpiryTokenId, s => s.Received = r =>
        {
            r.CorrelateById(c => c.Message.ReminderId);
            r.OnMissingInstance(m => m.Discard());
        });

        Initially(ApplyPlan(When(Planned), clock));
        During(new[] { Waiting, Fired, Skipped, Stopped, Discarded }, ApplyPlan(When(Planned, IsNewer), clock));

        During(new[] { Waiting, Fired, Skipped, Stopped, Discarded },
            When(Cancelled, c => c.Message.TaskVersion > c.Saga.TaskVersion)
                .Then(c =>
                {
                    c.Saga.TaskVersion = c.Message.TaskVersion;
                    c.Saga.UpdatedAt = clock.GetUtcNow();
                })
                .ThenAsync(CancelFiringAsync)
                .IfElse(c => c.Message.Discard,
                    discard => discard
                        .Schedule(Expiry, c => new ReminderExpired(c.Saga.CorrelationId), _ => clock.GetUtcNow().Add(DiscardedKeptFor).UtcDateTime)
                        .TransitionTo(Discarded),
                    stop => stop.TransitionTo(Stopped)));

        During(Waiting, Fired,
            When(Snoozed)
                .Then(c =>
                {
                    c.Saga.FireAt = c.Message.Until;
                    c.Saga.UpdatedAt = clock.GetUtcNow();
                })
                .ThenAsync(ScheduleFiringAsync)
                .TransitionTo(Waiting));

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

    /// <summary>The reminder or its task is gone; the instance is removed after <see cref="DiscardedKeptFor"/>.</summary>
    public State Discarded { get; private set; } = null!;

    public Event<ScheduleReminder> Planned { get; private set; } = null!;
    public Event<CancelReminder> Cancelled { get; private set; } = null!;
    public Event<SnoozeReminder> Snoozed { get; private set; } = null!;

    public Schedule<ReminderState, ReminderExpired> Expiry { get; private set; } = null!;

    private static bool IsNewer(BehaviorContext<ReminderState, ScheduleReminder> context) =>
        context.Message.TaskVersion > context.Saga.TaskVersion;

    private EventActivityBinder<ReminderState, ScheduleReminder> ApplyPlan(
        EventActivityBinder<ReminderState, ScheduleReminder> binder, TimeProvider clock) =>
        binder
            .Then(c =>
            {
                var saga = c.Saga;
                var now = clock.GetUtcNow();
                var following = saga.CurrentState == Waiting.Name || saga.CurrentState == Fired.Name;
                var decision = ReminderTiming.Decide(c.Message.FireAt, c.Message.Due.At, following, saga.PlannedAt, saga.FiredFor, now);
                saga.Apply(c.Message);
                saga.UpdatedAt = now;
                if (decision != ReminderDecision.Keep)
                {
                    saga.PlannedAt = c.Message.FireAt;
                    saga.FireAt = c.Message.FireAt;
                }
                c.GetOrAddPayload(() => new PlanDecision(decision));
            })
            .Unschedule(Expiry)
            .IfElse(c => DecisionOf(c) is ReminderDecision.Later or ReminderDecision.Now,
                schedule => schedule
                    .ThenAsync(ScheduleFiringAsync)
                    .TransitionTo(Waiting),
                other => other.IfElse(c => DecisionOf(c) == ReminderDecision.Keep,
                    keep => keep.IfElse(c => c.Saga.CurrentState == Waiting.Name && NotImminent(c, clock),
                        refresh => refresh.ThenAsync(ScheduleFiringAsync),
                        unchanged => unchanged),
                    notScheduled => notScheduled
                        .ThenAsync(CancelFiringAsync)
                        .IfElse(c => DecisionOf(c) == ReminderDecision.AlreadyFired,
                            fired => fired.TransitionTo(Fired),
                            overdue => overdue.TransitionTo(Skipped))));

    /// <summary>
    /// A plan that keeps the time may still change what the event says (a new title): the scheduled event is replaced,
    /// unless it is about to go out anyway, when replacing it could send it twice.
    /// </summary>
    private static bool NotImminent(BehaviorContext<ReminderState> context, TimeProvider clock) =>
        context.Saga.FireAt - clock.GetUtcNow() > RefreshHorizon;

    private static readonly TimeSpan RefreshHorizon = TimeSpan.FromSeconds(10);

    /// <summary>Schedules the event for the instance's fire time (at once if that has passed) and cancels the one it replaces.</summary>
    private static async Task ScheduleFiringAsync(BehaviorContext<ReminderState> context)
    {
        var scheduler = context.GetPayload<MessageSchedulerContext>();
        var previous = context.Saga.DueTokenId;
        var scheduled = await scheduler.SchedulePublish(context.Saga.FireAt.UtcDateTime, Triggered(context), context.CancellationToken);
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

    private static ReminderDecision DecisionOf(BehaviorContext<ReminderState> context) =>
        context.TryGetPayload<PlanDecision>(out var decision) ? decision.Value : ReminderDecision.Keep;

    private static ReminderTriggered Triggered(BehaviorContext<ReminderState> context) => new(
        NewId.NextGuid(),
        context.Saga.CorrelationId,
        context.Saga.TaskId,
        context.Saga.OwnerId,
        context.Saga.Title,
        context.Saga.Due,
        context.Saga.Offset,
        context.Saga.FireAt);

    /// <summary>The decision taken once per plan, read by the branches that follow (so the clock is read once).</summary>
    private sealed record PlanDecision(ReminderDecision Value);
}
