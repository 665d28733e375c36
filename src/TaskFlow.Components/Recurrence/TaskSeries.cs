using NodaTime;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Components.Recurrence;

/// <summary>
/// A repeating task: the rule, how its occurrences arrive, and what each copies. Occurrences are ordinary tasks that
/// name the series and the slot they fill (<see cref="TaskItem.SeriesSlot"/>).
/// </summary>
public sealed class TaskSeries
{
    public Guid Id { get; init; }
    public Guid OwnerId { get; init; }
    public required string Rule { get; set; }
    public RecurrenceMode Mode { get; set; }

    /// <summary>How long before its due an occurrence appears (by schedule).</summary>
    public TimeSpan LeadTime { get; set; }

    public SeriesStatus Status { get; set; }

    public DateTime StartLocal { get; set; }
    public bool AllDay { get; set; }
    public required string TimeZone { get; set; }

    public required string Title { get; set; }
    public string? Description { get; set; }
    public TaskPriority Priority { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<TimeSpan> ReminderOffsets { get; set; } = [];

    public DateTime LastSlot { get; set; }
    public int CreatedCount { get; set; }
    public DateTime? NextSlot { get; set; }
    public Guid? NextTokenId { get; set; }

    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Starts a series at <paramref name="task"/>, its first occurrence: the series copies what the task holds and
    /// begins at its due date.
    /// </summary>
    public static TaskSeries StartAt(TaskItem task, RecurrenceMode mode, TimeSpan leadTime, DateTimeOffset now)
    {
        var due = task.Due ?? throw new ArgumentException("A repeating task needs a due date.", nameof(task));
        var series = new TaskSeries
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = task.OwnerId,
            Rule = task.Recurrence ?? throw new ArgumentException("The task does not repeat.", nameof(task)),
            Mode = mode,
            LeadTime = leadTime,
            Status = SeriesStatus.Active,
            TimeZone = due.TimeZone,
            Title = task.Title,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        series.CopyFrom(task);
        series.RestartAt(due, filled: true);
        task.SeriesId = series.Id;
        task.SeriesSlot = series.StartLocal;
        return series;
    }

    /// <summary>
    /// Restarts the series at <paramref name="due"/>: its rule applies from there on, after the occurrences that
    /// already exist. <paramref name="filled"/> says that a task already stands for that first date (the task the
    /// series is started or re-ruled from); otherwise it is created like any other slot.
    /// </summary>
    public void RestartAt(DueDate due, bool filled)
    {
        StartLocal = due.Local.ToDateTimeUnspecified();
        AllDay = due.AllDay;
        TimeZone = due.TimeZone;
        // Never backwards: slots up to LastSlot are made or skipped, whatever the new start.
        if (filled && (LastSlot == default || StartLocal > LastSlot))
            LastSlot = StartLocal;
        CreatedCount = filled ? 1 : 0;
    }

    /// <summary>The rule's first occurrence, from which it is expanded.</summary>
    public DueDate Start => At(StartLocal);

    /// <summary>The due date of the slot <paramref name="slot"/> (a wall time in the series' zone).</summary>
    public DueDate At(DateTime slot)
    {
        var zone = DateTimeZoneProviders.Tzdb[TimeZone];
        var local = LocalDateTime.FromDateTime(slot);
        return AllDay ? DueDate.OnDay(local.Date, zone) : DueDate.AtTime(local, zone);
    }

    /// <summary>
    /// When the occurrence for <paramref name="slot"/> should appear: its due minus the lead time, or minus its longest
    /// reminder when that is longer, so that every reminder of the occurrence can still fire.
    /// </summary>
    public DateTimeOffset AppearsAt(DueDate slot)
    {
        var longestReminder = ReminderOffsets.Count == 0 ? TimeSpan.Zero : ReminderOffsets.Max();
        return Calendar.ReminderOffsets.Before(slot.At, LeadTime > longestReminder ? LeadTime : longestReminder);
    }

    /// <summary>The occurrence that fills <paramref name="slot"/>, due at <paramref name="due"/>, counted as created.</summary>
    public TaskItem NewOccurrence(DueDate due, DateTime slot, DateTimeOffset now)
    {
        var task = TaskItem.New(OwnerId, Title, now);
        task.SeriesId = Id;
        task.SeriesSlot = slot;
        CopyTo(task);
        task.Due = due;
        CreatedCount++;
        return task;
    }

    /// <summary>Copies what every occurrence shares into <paramref name="task"/>.</summary>
    public void CopyTo(TaskItem task)
    {
        task.Title = Title;
        task.Description = Description;
        task.Priority = Priority;
        task.Tags = [.. Tags];
        task.ReminderOffsets = [.. ReminderOffsets];
        task.Recurrence = Rule;
    }

    /// <summary>Takes what every occurrence shares from <paramref name="task"/>.</summary>
    public void CopyFrom(TaskItem task)
    {
        Title = task.Title;
        Description = task.Description;
        Priority = task.Priority;
        Tags = [.. task.Tags];
        ReminderOffsets = [.. task.ReminderOffsets];
    }
}
