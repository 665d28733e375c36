using MassTransit;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Reminders;

/// <summary>One reminder of one task, as the reminder saga keeps it (table reminder_state).</summary>
public sealed class ReminderState : SagaStateMachineInstance
{
    /// <summary>The reminder id: <see cref="ReminderIds.For"/>(task, offset).</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";
    public Guid TaskId { get; set; }
    public Guid OwnerId { get; set; }

    /// <summary>The task version of the latest plan applied; older plans are ignored.</summary>
    public int TaskVersion { get; set; }

    public string Title { get; set; } = "";
    public string Offset { get; set; } = "";
    public string DueLocal { get; set; } = "";
    public bool DueAllDay { get; set; }
    public string DueTimeZone { get; set; } = "";
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Due time minus offset, as planned from the task.</summary>
    public DateTimeOffset PlannedAt { get; set; }

    /// <summary>When it fires next (or last fired): <see cref="PlannedAt"/>, or the end of a snooze.</summary>
    public DateTimeOffset FireAt { get; set; }

    /// <summary>The <see cref="PlannedAt"/> it last fired for (snoozes included), so that a repeated plan does not fire it twice.</summary>
    public DateTimeOffset? FiredFor { get; set; }

    public DateTimeOffset? FiredAt { get; set; }
    public Guid? DueTokenId { get; set; }

    /// <summary>The scheduling token of the event it last fired with: a redelivery of that event is still its reminder.</summary>
    public Guid? FiredTokenId { get; set; }
    public Guid? ExpiryTokenId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    internal DueSnapshot Due => new(DueLocal, DueAllDay, DueTimeZone, DueAt);

    internal void Apply(ScheduleReminder plan)
    {
        TaskId = plan.TaskId;
        OwnerId = plan.OwnerId;
        TaskVersion = plan.TaskVersion;
        Title = plan.Title;
        Offset = plan.Offset;
        DueLocal = plan.Due.Local;
        DueAllDay = plan.Due.AllDay;
        DueTimeZone = plan.Due.TimeZone;
        DueAt = plan.Due.At;
    }
}
