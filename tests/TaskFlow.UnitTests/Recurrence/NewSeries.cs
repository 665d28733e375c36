using TaskFlow.Components.Recurrence;
using TaskFlow.UnitTests.Calendar;

namespace TaskFlow.UnitTests.Recurrence;

internal static class NewSeries
{
    /// <summary>
    /// A series as its row holds it: <paramref name="rule"/> (an RRULE) from <paramref name="start"/> (a wall time,
    /// or a day for an all-day series, as <see cref="Dues"/> writes them) in <paramref name="zone"/>.
    /// </summary>
    public static TaskSeries In(string zone, string rule, string start) => new()
    {
        Rule = rule,
        TimeZone = zone,
        Title = "Water the plants",
        StartLocal = Dues.Local(start).ToDateTimeUnspecified(),
        AllDay = Dues.IsAllDay(start),
        LastSlot = Dues.Local(start).ToDateTimeUnspecified(),
        CreatedCount = 1,
    };
}
