using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// When a task is due, as its owner means it: a wall-clock time in an IANA zone, or a whole day.
/// <see cref="At"/> is the instant it falls due: the wall time resolved in the zone, or for an
/// all-day task the end of that day, so that it turns overdue only once the day is over.
/// </summary>
public sealed record DueDate(LocalDateTime Local, bool AllDay, string TimeZone, DateTimeOffset At)
{
    private static readonly LocalDateTimePattern DateTimePattern = LocalDateTimePattern.ExtendedIso;
    private static readonly LocalDateTimePattern[] LocalInputs =
        [LocalDateTimePattern.ExtendedIso, LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm")];
    private static readonly OffsetDateTimePattern[] OffsetInputs =
        [OffsetDateTimePattern.ExtendedIso, OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>")];
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    public static DueDate AtTime(LocalDateTime local, DateTimeZone zone) =>
        TryAtTime(local, zone) ?? throw new ArgumentOutOfRangeException(nameof(local), local, PastTheCalendar);

    public static DueDate OnDay(LocalDate date, DateTimeZone zone) =>
        TryOnDay(date, zone) ?? throw new ArgumentOutOfRangeException(nameof(date), date, PastTheCalendar);

    /// <summary>The due date at <paramref name="local"/>, or null when its instant lies outside the years 1 to 9999 in UTC.</summary>
    public static DueDate? TryAtTime(LocalDateTime local, DateTimeZone zone) =>
        // Lenient: a time skipped by a DST jump moves forward by the gap, an ambiguous one takes the earlier offset.
        Instant(() => zone.ResolveLocal(local, Resolvers.LenientResolver)) is { } at ? new(local, false, zone.Id, at) : null;

    /// <summary>The all-day due date on <paramref name="date"/>, or null when its day ends after the year 9999 (UTC or local).</summary>
    public static DueDate? TryOnDay(LocalDate date, DateTimeZone zone) =>
        Instant(() => zone.AtStartOfDay(date.PlusDays(1))) is { } at ? new(date.AtMidnight(), true, zone.Id, at) : null;

    private const string PastTheCalendar = "Its instant lies outside the years 1 to 9999 (UTC).";

    private static DateTimeOffset? Instant(Func<ZonedDateTime> resolve) =>
        CalendarEnd.Within(() => resolve().ToDateTimeOffset().ToUniversalTime());

    public string? DateText => AllDay ? DatePattern.Format(Local.Date) : null;

    public string? DateTimeText => AllDay ? null : DateTimePattern.Format(Local);

    /// <summary>
    /// Reads a due date from its API form: exactly one of <paramref name="dateTime"/> (local, or with an offset
    /// that is then converted into the zone) and <paramref name="date"/>; the zone defaults to the owner's.
    /// Errors are keyed by the field they concern.
    /// </summary>
    public static DueDate? Parse(string? dateTime, string? date, string? timeZone, string ownerTimeZone, IDictionary<string, string> errors)
    {
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? ownerTimeZone : timeZone;
        var zone = TimeZones.Find(zoneId);
        if (zone is null)
            errors["timeZone"] = $"'{timeZone}' is not an IANA time zone such as 'Europe/Paris'.";

        var hasDateTime = !string.IsNullOrWhiteSpace(dateTime);
        var hasDate = !string.IsNullOrWhiteSpace(date);
        if (hasDateTime == hasDate)
        {
            errors[hasDate ? "date" : "dateTime"] = "Give either dateTime (a time of day) or date (an all-day task), not both.";
            return null;
        }

        if (hasDate)
        {
            var parsed = DatePattern.Parse(date!.Trim());
            if (!parsed.Success || !InSupportedRange(parsed.Value.Year))
            {
                errors["date"] = "Must be a date between the years 1900 and 9999 as YYYY-MM-DD.";
                return null;
            }
            if (zone is null)
                return null;
            var day = TryOnDay(parsed.Value, zone);
            if (day is null)
                errors["date"] = "An all-day task falls due when its day ends, which must be within the year 9999: the last day is 9999-12-30.";
            return day;
        }

        var text = dateTime!.Trim();
        var local = ParseDateTime(text, zone);
        if (local is null)
        {
            errors["dateTime"] = "Must be a date-time between the years 1900 and 9999 as YYYY-MM-DDThh:mm[:ss], optionally with an offset.";
            return null;
        }
        if (zone is null)
            return null;
        // An offset names one instant: in the hour a zone repeats in autumn, the wall time alone would resolve to its first pass.
        var due = ParseOffset(text) is { } instant
            ? Instant(() => instant.InZone(zone)) is { } at ? new DueDate(local.Value, false, zone.Id, at) : null
            : TryAtTime(local.Value, zone);
        if (due is null)
            errors["dateTime"] = $"Falls due after the year 9999 ends in UTC (in {zone.Id}), the last instant a due date can have.";
        return due;
    }

    private static LocalDateTime? ParseDateTime(string text, DateTimeZone? zone)
    {
        foreach (var pattern in LocalInputs)
        {
            if (pattern.Parse(text) is { Success: true } local)
                return InSupportedRange(local.Value.Year) ? local.Value : null;
        }

        // An instant with an offset ("...Z", "...+02:00") is honoured and shown in the task's zone.
        if (ParseOffset(text) is { } instant)
            return InSupportedRange(instant.Year) && zone is not null ? CalendarEnd.Within(() => instant.InZone(zone).LocalDateTime) : null;
        return null;
    }

    private static OffsetDateTime? ParseOffset(string text) =>
        OffsetInputs.Select(pattern => pattern.Parse(text)).FirstOrDefault(parsed => parsed.Success) is { } parsed ? parsed.Value : null;

    private static bool InSupportedRange(int year) => year is >= 1900 and <= 9999;
}
