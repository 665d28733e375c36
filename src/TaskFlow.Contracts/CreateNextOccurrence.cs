using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>
/// Scheduled by the recurrence consumer for the moment the occurrence filling <paramref name="Slot"/> should appear.
/// It creates nothing when the series changed since (<paramref name="SeriesVersion"/>) or the slot is already filled.
/// </summary>
/// <param name="Slot">The rule's wall time in the series' zone ("2027-01-04T09:00:00").</param>
[EntityName("taskflow.recurrence.create-next-occurrence")]
public sealed record CreateNextOccurrence(Guid SeriesId, string Slot, int SeriesVersion);
