using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// A repeating series was started, edited, skipped or stopped by its owner. The recurrence consumer then schedules its
/// next occurrence from the series as it stands in the database, so a repeat or a late arrival changes nothing.
/// </summary>
/// <param name="Version">The series' version after the change.</param>
/// <param name="Change">started, edited, skipped or stopped.</param>
[EntityName("taskflow.series.changed")]
public sealed record TaskSeriesChanged(Guid EventId, Guid SeriesId, Guid OwnerId, int Version, DateTimeOffset OccurredAt, string Change);
