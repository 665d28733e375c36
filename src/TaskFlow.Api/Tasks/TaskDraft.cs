using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>A <see cref="TaskRequest"/> that passed every rule, in the model's own types.</summary>
public sealed record TaskDraft(
    string Title,
    string? Description,
    TaskPriority Priority,
    List<string> Tags,
    DueDate? Due,
    List<TimeSpan> Reminders,
    string? Recurrence,
    RecurrenceMode? Mode = null,
    TimeSpan? Lead = null)
{
    /// <summary>An occurrence appears a day before its due unless its owner says otherwise.</summary>
    public static readonly TimeSpan DefaultLead = TimeSpan.FromDays(1);

    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxTags = 10;
    public const int MaxTagLength = 32;

    /// <summary>Parses and checks every field; <paramref name="errors"/> gets one entry per bad field, keyed by its JSON path.</summary>
    public static TaskDraft? Parse(TaskRequest request, string ownerTimeZone, Dictionary<string, string[]> errors)
    {
        var title = request.Title?.Trim() ?? "";
        if (title.Length is 0 or > MaxTitleLength)
            errors["title"] = [$"Is required and must be 1 to {MaxTitleLength} characters long."];

        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description?.Length > MaxDescriptionLength)
            errors["description"] = [$"Must be at most {MaxDescriptionLength} characters long."];

        var priority = ParsePriority(request.Priority, errors);
        var tags = ParseTags(request.Tags, errors);

        DueDate? due = null;
        if (request.Due is { } dueRequest)
        {
            var dueErrors = new Dictionary<string, string>();
            due = DueDate.Parse(dueRequest.DateTime, dueRequest.Date, dueRequest.TimeZone, ownerTimeZone, dueErrors);
            foreach (var (field, message) in dueErrors)
                errors[$"due.{field}"] = [message];
        }

        var reminders = ParseReminders(request.Reminders, errors);
        if (reminders.Count > 0 && request.Due is null)
            errors["reminders"] = ["Reminders fire before the due time, so the task needs a due date."];

        string? recurrence = null;
        if (!string.IsNullOrWhiteSpace(request.Recurrence)
            && !errors.Keys.Any(k => k.StartsWith("due.", StringComparison.Ordinal))
            && !RecurrenceRule.TryParse(request.Recurrence, due, out recurrence, out var recurrenceError))
        {
            errors["recurrence"] = [recurrenceError];
        }

        var (mode, lead) = ParseRepeat(request, recurrence, errors);

        return errors.Count == 0
            ? new TaskDraft(title, description, priority, tags, due, reminders, recurrence, mode, lead)
            : null;
    }

    /// <summary>How a repeating task repeats; both fields belong to a recurrence and are refused without one.</summary>
    private static (RecurrenceMode? Mode, TimeSpan? Lead) ParseRepeat(TaskRequest request, string? recurrence, Dictionary<string, string[]> errors)
    {
        RecurrenceMode? mode = null;
        var repeats = !string.IsNullOrWhiteSpace(request.Recurrence);
        if (!string.IsNullOrWhiteSpace(request.RecurrenceMode))
        {
            if (!repeats)
                errors["recurrenceMode"] = ["Only a repeating task has a mode: give recurrence too."];
            else if (request.RecurrenceMode.Trim().Equals("completion", StringComparison.OrdinalIgnoreCase))
                mode = RecurrenceMode.Completion;
            else if (request.RecurrenceMode.Trim().Equals("schedule", StringComparison.OrdinalIgnoreCase))
                mode = RecurrenceMode.Schedule;
            else
                errors["recurrenceMode"] = ["Must be schedule (occurrences follow the calendar) or completion (the next is due an interval after completing)."];
        }
        if (mode == RecurrenceMode.Completion && recurrence is not null && !RecurrenceRule.IsFixedInterval(recurrence))
            errors["recurrenceMode"] = ["Repeating from completion needs a plain interval such as 'daily' or 'every 2 weeks'; a rule that picks days (BYDAY, BYMONTHDAY, ...) repeats by schedule."];

        TimeSpan? lead = null;
        if (!string.IsNullOrWhiteSpace(request.RecurrenceLead))
        {
            if (!repeats)
                errors["recurrenceLead"] = ["Only a repeating task has a lead time: give recurrence too."];
            else if (!ReminderOffsets.TryParse(request.RecurrenceLead, out var parsed, out var error))
                errors["recurrenceLead"] = [error.Replace("reminders fire", "occurrences appear", StringComparison.Ordinal)];
            else
                lead = parsed;
        }
        return (mode, lead);
    }

    public void ApplyTo(TaskItem task)
    {
        task.Title = Title;
        task.Description = Description;
        task.Priority = Priority;
        task.Tags = Tags;
        task.Due = Due;
        task.ReminderOffsets = Reminders;
        task.Recurrence = Recurrence;
    }

    private static TaskPriority ParsePriority(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return TaskPriority.None;
        if (Enum.TryParse<TaskPriority>(text.Trim(), ignoreCase: true, out var priority)
            && Enum.IsDefined(priority) && !char.IsDigit(text.Trim()[0]))
            return priority;
        errors["priority"] = ["Must be one of none, low, medium, high."];
        return TaskPriority.None;
    }

    /// <summary>Tags compare case-insensitively, so they are stored trimmed, lower-cased and without repeats.</summary>
    private static List<string> ParseTags(IReadOnlyList<string?>? tags, Dictionary<string, string[]> errors)
    {
        if (tags is null)
            return [];
        if (tags.Count > MaxTags)
        {
            errors["tags"] = [$"At most {MaxTags} tags."];
            return [];
        }

        var normalised = new List<string>();
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i]?.Trim().ToLowerInvariant() ?? "";
            if (tag.Length is 0 or > MaxTagLength || tag.Any(char.IsControl) || tag.Contains(','))
                errors[$"tags[{i}]"] = [$"Must be 1 to {MaxTagLength} characters, without commas or control characters."];
            else if (!normalised.Contains(tag))
                normalised.Add(tag);
        }
        return normalised;
    }

    private static List<TimeSpan> ParseReminders(IReadOnlyList<string?>? reminders, Dictionary<string, string[]> errors)
    {
        if (reminders is null)
            return [];
        if (reminders.Count > ReminderOffsets.MaxPerTask)
        {
            errors["reminders"] = [$"At most {ReminderOffsets.MaxPerTask} reminders."];
            return [];
        }

        var offsets = new List<TimeSpan>();
        for (var i = 0; i < reminders.Count; i++)
        {
            if (!ReminderOffsets.TryParse(reminders[i], out var offset, out var error))
                errors[$"reminders[{i}]"] = [error];
            else if (!offsets.Contains(offset))
                offsets.Add(offset);
        }
        offsets.Sort();
        return offsets;
    }
}
