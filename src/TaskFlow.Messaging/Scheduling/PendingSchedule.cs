namespace TaskFlow.Messaging.Scheduling;

/// <summary>Marks a send as scheduled: its due time and scheduling token travel with the send context to the inbox.</summary>
internal sealed class PendingSchedule(DateTime dueTime, Guid tokenId)
{
    public DateTime DueTime { get; } = dueTime;
    public Guid TokenId { get; set; } = tokenId;
}
