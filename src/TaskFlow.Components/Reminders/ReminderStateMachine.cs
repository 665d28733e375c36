using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>
/// One instance per (task, reminder). The planner sends the whole plan after every relevant task change; this machine
/// turns it into one scheduled <see cref="ReminderDue"/> and, when that arrives with the current token, publishes
/// <see cref="ReminderTriggered"/>. A rescheduled reminder's old message still arrives but carries an old token, and
/// MassTransit drops it, so a reminder fires once, at its latest time.
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
        Schedule(() => Due, x => x.DueTokenId, s => s.Received = r =>
        {
            r.CorrelateById(c => c.Message.ReminderId);
            r.OnMissingInstance(m => m.Discard());
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
                .Unschedule(Due)
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
                .Schedule(Due, c => new ReminderDue(c.Saga.CorrelationId), c => c.Saga.FireAt.UtcDateTime)
                .TransitionTo(Waiting));

        During(Waiting,
            When(Due.Received)
                .Then(c => c.Saga.MarkFired(clock.GetUtcNow()))
                .Publish(c => Triggered(c))
                .TransitionTo(Fired));

        During(Discarded, When(Expiry.Received).Finalize());

        SetCompletedWhenFinalized();
    }

    /// <summary>Scheduled: waiting for its time.</summary>
    public State Waiting { get; private set; } = null!;

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
    public Schedule<ReminderState, ReminderDue> Due { get; private set; } = null!;
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
            .IfElse(c => DecisionOf(c) == ReminderDecision.Later,
                later => later
                    .Schedule(Due, c => new ReminderDue(c.Saga.CorrelationId), c => c.Saga.FireAt.UtcDateTime)
                    .TransitionTo(Waiting),
                notLater => notLater.IfElse(c => DecisionOf(c) == ReminderDecision.Keep,
                    keep => keep,
                    other => other
                        .Unschedule(Due)
                        .IfElse(c => DecisionOf(c) == ReminderDecision.Now,
                            now => now
                                .Then(c => c.Saga.MarkFired(clock.GetUtcNow()))
                                .Publish(c => Triggered(c))
                                .TransitionTo(Fired),
                            none => none.IfElse(c => DecisionOf(c) == ReminderDecision.AlreadyFired,
                                fired => fired.TransitionTo(Fired),
                                overdue => overdue.TransitionTo(Skipped)))));

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
        context.Saga.FireAt,
        context.Saga.FiredAt ?? context.Saga.FireAt);

    /// <summary>The decision taken once per plan, read by the branches that follow (so the clock is read once).</summary>
    private sealed record PlanDecision(ReminderDecision Value);
}

internal static class ReminderStateExtensions
{
    public static void MarkFired(this ReminderState saga, DateTimeOffset now)
    {
        saga.FiredAt = now;
        saga.FiredFor = saga.PlannedAt;
        saga.UpdatedAt = now;
    }
}
