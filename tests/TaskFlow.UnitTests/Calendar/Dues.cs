// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

/// <summary>
/// How the specs write times. "2027-03-28T02:30" is a wall time and "2027-03-28" a whole day, both in a zone the case
/// names; an instant carries its offset, "2027-03-28T01:30Z" or "2027-03-28T03:30+02:00". A due date is shown as
/// "local wall time = instant in UTC", an all-day one as "date all day = instant in UTC" (the end of its day), and a
/// missing one as "none".
/// </summary>
internal static class Dues
{
    private static readonly LocalDateTimePattern WallTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>");

    public static bool IsAllDay(string text) => !text.Contains('T', StringComparison.Ordinal);

    /// <summary>The wall time written, midnight for a day.</summary>
    public static LocalDateTime Local(string text) =>
        IsAllDay(text) ? LocalDatePattern.Iso.Parse(text).Value.AtMidnight() : WallTime.Parse(text).Value;

    public static DueDate Due(string zone, string text)
    {
        var timeZone = DateTimeZoneProviders.Tzdb[zone];
        return IsAllDay(text) ? DueDate.OnDay(Local(text).Date, timeZone) : DueDate.AtTime(Local(text), timeZone);
    }

    public static DateTimeOffset Instant(string text) => WithOffset.Parse(text).Value.ToDateTimeOffset();

    public static string Show(DueDate? due) => due switch
    {
        null => "none",
        { AllDay: true } => $"{due.DateText} all day = {Show(due.At)}",
        _ => $"{WallTime.Format(due.Local)} = {Show(due.At)}",
    };

    public static string Show(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) + "Z";
}
