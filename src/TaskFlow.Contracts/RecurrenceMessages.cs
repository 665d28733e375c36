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

/// <summary>
/// Scheduled by the recurrence consumer for the moment the occurrence filling <paramref name="Slot"/> should appear.
/// It creates nothing when the series changed since (<paramref name="SeriesVersion"/>) or the slot is already filled.
/// </summary>
/// <param name="Slot">The rule's wall time in the series' zone ("2027-01-04T09:00:00").</param>
[EntityName("taskflow.recurrence.create-next-occurrence")]
public sealed record CreateNextOccurrence(Guid SeriesId, string Slot, int SeriesVersion);
