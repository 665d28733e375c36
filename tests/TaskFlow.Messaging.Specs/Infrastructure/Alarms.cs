using MassTransit;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>A saga that schedules its own event with MassTransit's Schedule/Unschedule, as the reminder saga does.</summary>
public sealed class Alarm : SagaStateMachineInstance
{
    public const string TableSql = """
        CREATE TABLE alarm (
            correlation_id uuid PRIMARY KEY,
            current_state text NOT NULL,
            ring_token uuid NULL,
            rang_at timestamptz NULL,
            sent_at timestamptz NULL
        )
        """;

    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid? RingToken { get; set; }

    /// <summary>When the scheduled event reached the saga.</summary>
    public DateTime? RangAt { get; set; }

    /// <summary>When the scheduler sent it (<c>MT-Quartz-Sent</c>).</summary>
    public DateTime? SentAt { get; set; }
}

/// <summary>Sets an alarm; <see cref="StopAtOnce"/> unschedules it in the same consume, <see cref="Explode"/> fails after scheduling.</summary>
public sealed record SetAlarm(Guid AlarmId, DateTime At, bool StopAtOnce = false, bool Explode = false);

public sealed record StopAlarm(Guid AlarmId);

public sealed record AlarmRang(Guid AlarmId);

public sealed class AlarmStateMachine : MassTransitStateMachine<Alarm>
{
    public AlarmStateMachine()
    {
        InstanceState(a => a.CurrentState);
        Event(() => Set, e => e.CorrelateById(c => c.Message.AlarmId));
        Event(() => Stop, e => e.CorrelateById(c => c.Message.AlarmId));
        Schedule(() => Ring, a => a.RingToken, s => s.Received = r => r.CorrelateById(c => c.Message.AlarmId));

        Initially(
            When(Set)
                .Schedule(Ring, c => new AlarmRang(c.Saga.CorrelationId), c => c.Message.At)
                .If(c => c.Message.StopAtOnce, stop => stop.Unschedule(Ring))
                .If(c => c.Message.Explode, explode => explode.Then(_ => throw new InvalidOperationException("The alarm failed after scheduling.")))
                .TransitionTo(Waiting));

        During(Waiting,
            When(Stop).Unschedule(Ring).TransitionTo(Stopped),
            // Only the event under the instance's current token is Ring.Received (MassTransit compares the token header).
            When(Ring.Received)
                .Then(c =>
                {
                    c.Saga.RangAt = DateTime.UtcNow;
                    c.Saga.SentAt = c.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent)?.UtcDateTime;
                })
                .TransitionTo(Rang));
    }

    public State Waiting { get; private set; } = null!;
    public State Stopped { get; private set; } = null!;
    public State Rang { get; private set; } = null!;

    public Event<SetAlarm> Set { get; private set; } = null!;
    public Event<StopAlarm> Stop { get; private set; } = null!;
    public Schedule<Alarm, AlarmRang> Ring { get; private set; } = null!;
}
