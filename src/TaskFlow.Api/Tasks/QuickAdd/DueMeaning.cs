using System.Globalization;
using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>A due date in words, "Fri 1 Jan 2027, 09:00 (Europe/Berlin)", saying when a DST change moves or doubles it.</summary>
internal static class DueMeaning
{
    public static string Describe(DueDate due)
    {
        var zone = DateTimeZoneProviders.Tzdb[due.TimeZone];
        var day = due.Local.Date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
        if (due.AllDay)
            return $"{day}, all day ({zone.Id})";
        var time = due.Local.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        var falls = Instant.FromDateTimeOffset(due.At).InZone(zone);
        var text = $"{day}, {time} ({zone.Id})";
        if (falls.LocalDateTime != due.Local)
            return $"{text}; the clocks skip that time that day, so it falls due at {falls.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)}";
        return zone.MapLocal(due.Local).Count == 2
            ? $"{text}; that time comes twice that day, and the first (UTC{falls.Offset}) counts"
            : text;
    }
}
