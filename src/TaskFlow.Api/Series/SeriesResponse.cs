using System.Text.Json.Serialization;
using TaskFlow.Api.Tasks;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Series;

/// <summary>A repeating series: its rule, how its occurrences arrive, and what the next ones will copy.</summary>
/// <param name="Mode">schedule or completion.</param>
/// <param name="Lead">How long before its due an occurrence appears (by schedule), ISO 8601.</param>
/// <param name="Status">active, stopped (by its owner) or ended (its rule has no further date).</param>
/// <param name="Start">Where the rule starts: its first date, or the date it was last restarted from.</param>
/// <param name="NextDue">When the next occurrence not yet created falls due (by schedule).</param>
/// <param name="NextAppearsAt">When that occurrence will be created.</param>
public sealed record SeriesResponse(
    Guid Id,
    string Recurrence,
    string RecurrenceSummary,
    string Mode,
    string Lead,
    string Status,
    DueResponse Start,
    string Title,
    string? Description,
    TaskPriority Priority,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Reminders,
    DueResponse? NextDue,
    DateTimeOffset? NextAppearsAt,
    int Version)
{
    /// <summary>The date a skip passed over; given in the answer to a skip.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DueResponse? Skipped { get; init; }

    public static SeriesResponse From(TaskSeries series, DateTimeOffset now)
    {
        var next = series is { Status: SeriesStatus.Active, Mode: RecurrenceMode.Schedule }
            ? SeriesSchedule.NextBySchedule(series, series.LastSlot, now)
            : null;
        return new(
            series.Id,
            series.Rule,
            RecurrenceRule.Describe(series.Rule),
            series.Mode.ToString().ToLowerInvariant(),
            ReminderOffsets.Format(series.LeadTime),
            series.Status.ToString().ToLowerInvariant(),
            DueResponse.From(series.Start),
            series.Title,
            series.Description,
            series.Priority,
            series.Tags,
            series.ReminderOffsets.Select(ReminderOffsets.Format).ToList(),
            next is null ? null : DueResponse.From(next),
            next is null ? null : series.AppearsAt(next),
            series.Version);
    }
}
