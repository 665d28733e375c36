namespace TaskFlow.Components.Reminders;

/// <summary>The reminder saga's durations, from the configuration section <c>Reminders</c>.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>
    /// A discarded reminder is kept this long before it is removed: long enough that a plan delayed in a queue can no
    /// longer arrive and bring it back with an older version.
    /// </summary>
    public TimeSpan DiscardedKeptFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A plan that keeps the time may still change what the event says (a new title): the scheduled event is replaced,
    /// unless it goes out within this, when replacing it could send it twice.
    /// </summary>
    public TimeSpan RefreshHorizon { get; set; } = TimeSpan.FromSeconds(10);
}
