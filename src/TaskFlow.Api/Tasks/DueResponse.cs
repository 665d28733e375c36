using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks;

/// <param name="At">The instant the task falls due; for an all-day task, the end of its day in its zone.</param>
public sealed record DueResponse(string? DateTime, string? Date, string TimeZone, bool AllDay, DateTimeOffset At)
{
    public static DueResponse From(DueDate due)
    {
        ArgumentNullException.ThrowIfNull(due);
        return new(due.DateTimeText, due.DateText, due.TimeZone, due.AllDay, due.At);
    }
}
