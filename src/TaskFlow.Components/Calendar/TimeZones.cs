using NodaTime;

namespace TaskFlow.Components.Calendar;

/// <summary>
/// IANA zones from the tz database NodaTime ships, so a zone means the same on every host
/// whatever its OS tzdata, and Windows names or abbreviations such as "PST" are refused.
/// </summary>
public static class TimeZones
{
    public const string Default = "UTC";

    public static DateTimeZone? Find(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());
}
