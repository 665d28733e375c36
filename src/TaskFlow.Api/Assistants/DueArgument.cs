using System.ComponentModel;
using TaskFlow.Api.Tasks;

namespace TaskFlow.Api.Assistants;

[Description("When the task is due: either dateTime (a time of day) or date (all day), optionally with timeZone.")]
public sealed record DueArgument(
    [property: Description("Wall-clock date and time, ISO 8601 without offset, e.g. \"2026-12-08T17:00\", read in timeZone. With an offset (\"2026-12-08T16:00Z\") it is converted into the zone.")]
    string? DateTime = null,
    [property: Description("An all-day due date, \"2026-12-08\"; give this or dateTime, not both.")]
    string? Date = null,
    [property: Description("IANA time zone, e.g. \"Europe/Berlin\". Default: the user's profile zone.")]
    string? TimeZone = null)
{
    public DueRequest ToRequest() => new(DateTime, Date, TimeZone);
}
