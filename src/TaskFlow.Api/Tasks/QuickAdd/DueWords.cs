using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// The due date the words give, resolved as <see cref="DueDate"/> resolves any (a time a DST jump skips moves on by
/// the gap, one that comes twice takes its first pass). A date without a time is all day. A time without a date is
/// today while that time is still ahead, otherwise tomorrow.
/// </summary>
internal static class DueWords
{
    public static DueDate? Resolve(LocalDate? date, LocalTime? time, ZonedDateTime now)
    {
        var zone = now.Zone;
        if (date is { } day)
            return time is { } at ? DueDate.TryAtTime(day.At(at), zone) : DueDate.TryOnDay(day, zone);
        if (time is not { } alone)
            return null;
        var today = DueDate.TryAtTime(now.Date.At(alone), zone);
        return today is not null && today.At > now.ToDateTimeOffset() ? today : DueDate.TryAtTime(now.Date.PlusDays(1).At(alone), zone);
    }
}
