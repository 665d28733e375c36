using System.Globalization;
using NodaTime;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// A daily span of wall-clock time, from <see cref="Start"/> up to but not including <see cref="End"/>, in which a user
/// gets no live pushes; it wraps midnight when it ends earlier than it starts (22:00-07:00). It is read on the clock of
/// the user's zone, as a person sets an alarm, not as elapsed time: the night the clocks go forward 22:00-07:00 lasts
/// eight hours, a span inside the skipped hour does not happen that day, and an hour the clocks repeat is quiet twice.
/// </summary>
public sealed record QuietHours
{
    public QuietHours(TimeOnly start, TimeOnly end)
    {
        // An empty span and a whole day are written the same way, so neither is guessed.
        if (start == end)
            throw new ArgumentException("Quiet hours must end at another time than they start.", nameof(end));
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }
    public TimeOnly End { get; }

    /// <summary>From stored columns, which hold both times or neither.</summary>
    public static QuietHours? FromStored(TimeOnly? start, TimeOnly? end) => start is { } s && end is { } e ? new QuietHours(s, e) : null;

    /// <summary>Whether <paramref name="instant"/> falls inside the span on the wall clock of <paramref name="zone"/>.</summary>
    public bool Covers(DateTimeOffset instant, DateTimeZone zone)
    {
        // From the zone's offset rather than a ZonedDateTime, which cannot be formed where the local date passes the
        // year 9999 (an instant late on 31 December 9999 UTC, east of Greenwich); TimeOnly wraps around midnight.
        var offset = zone.GetUtcOffset(Instant.FromDateTimeOffset(instant)).ToTimeSpan();
        return TimeOnly.FromDateTime(instant.UtcDateTime).Add(offset).IsBetween(Start, End);
    }

    /// <summary>Reads a time of day as "22:00" (24-hour, minutes).</summary>
    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
