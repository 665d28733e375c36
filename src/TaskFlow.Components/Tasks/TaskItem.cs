using TaskFlow.Components.Calendar;

namespace TaskFlow.Components.Tasks;

public sealed class TaskItem
{
    public Guid Id { get; init; }
    public Guid OwnerId { get; init; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public TaskPriority Priority { get; set; }
    public List<string> Tags { get; set; } = [];
    public TaskItemStatus Status { get; set; }

    public DateTime? DueLocal { get; set; }
    public bool? DueAllDay { get; set; }
    public string? DueTimeZone { get; set; }
    public DateTimeOffset? DueAt { get; set; }

    public List<TimeSpan> ReminderOffsets { get; set; } = [];
    public string? Recurrence { get; set; }

    /// <summary>The series this task is an occurrence of, and the slot (the rule's wall time) it fills.</summary>
    public Guid? SeriesId { get; set; }

    public DateTime? SeriesSlot { get; set; }

    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>A new open task, at its first version, stamped <paramref name="now"/>.</summary>
    public static TaskItem New(Guid ownerId, string title, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OwnerId = ownerId,
        Title = title,
        Status = TaskItemStatus.Open,
        Version = 1,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Computed by the database: <see cref="DueAt"/>, or infinity when there is none.</summary>
    public DateTime DueSort { get; private set; }

    public DueDate? Due
    {
        get => DueLocal is { } local && DueTimeZone is { } zone && DueAt is { } at
            ? new DueDate(NodaTime.LocalDateTime.FromDateTime(local), DueAllDay == true, zone, at)
            : null;
        set
        {
            DueLocal = value?.Local.ToDateTimeUnspecified();
            DueAllDay = value?.AllDay;
            DueTimeZone = value?.TimeZone;
            DueAt = value?.At;
        }
    }
}
