using System.Text.Json;

namespace TaskFlow.Components.Audit;

/// <summary>One task event as the audit log keeps it. Rows are only ever inserted.</summary>
public sealed class AuditEntry
{
    public Guid EventId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public Guid OwnerId { get; init; }
    public Guid TaskId { get; init; }
    public int TaskVersion { get; init; }

    /// <summary>created, updated, completed, reopened or deleted.</summary>
    public required string EventType { get; init; }

    /// <summary>The event as published.</summary>
    public required JsonDocument Payload { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}
