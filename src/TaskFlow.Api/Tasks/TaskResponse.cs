using System.Text.Json.Serialization;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <param name="Recurrence">The repeat rule as an RFC 5545 RRULE.</param>
/// <param name="RecurrenceSummary">The same rule in English, such as "Every 2 weeks on Monday and Wednesday".</param>
/// <param name="SeriesId">The series this task is an occurrence of; GET /tasks/{id}/series reads it.</param>
public sealed record TaskResponse(
    Guid Id,
    string Title,
    string? Description,
    TaskPriority Priority,
    IReadOnlyList<string> Tags,
    TaskItemStatus Status,
    DueResponse? Due,
    bool Overdue,
    IReadOnlyList<string> Reminders,
    string? Recurrence,
    string? RecurrenceSummary,
    Guid? SeriesId,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>Each reminder's state and next fire time; given when one task is read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ReminderResponse>? ReminderSchedule { get; init; }

    public static TaskResponse From(TaskItem task, DateTimeOffset now) => new(
        task.Id,
        task.Title,
        task.Description,
        task.Priority,
        task.Tags,
        task.Status,
        task.Due is { } due ? DueResponse.From(due) : null,
        task.Status == TaskItemStatus.Open && task.DueAt < now,
        task.ReminderOffsets.Select(ReminderOffsets.Format).ToList(),
        task.Recurrence,
        task.Recurrence is { } rule ? RecurrenceRule.Describe(rule) : null,
        task.SeriesId,
        task.Version,
        task.CreatedAt,
        task.UpdatedAt,
        task.CompletedAt);
}
