namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// A cancelled scheduling token: a <c>ScheduleMessage</c> under it that arrives after the cancel (redelivered, retried,
/// overtaken) is not stored. Kept for <see cref="TaskFlowSchedulerOptions.TombstoneRetention"/>.
/// </summary>
public class ScheduledMessageTombstone
{
    public Guid TokenId { get; set; }

    public DateTime Cancelled { get; set; }
}
