namespace TaskFlow.Components.Recurrence;

public enum SeriesStatus
{
    Active,

    /// <summary>Stopped by its owner: no further occurrence.</summary>
    Stopped,

    /// <summary>Its rule has no further occurrence (COUNT or UNTIL).</summary>
    Ended,
}
