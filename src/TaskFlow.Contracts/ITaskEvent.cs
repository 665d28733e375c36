using MassTransit;

namespace TaskFlow.Contracts;

/// <summary>What every task event carries. Routing is by the concrete events; this shape gets no exchange.</summary>
[ExcludeFromTopology]
public interface ITaskEvent
{
    /// <summary>Unique per event; consumers de-duplicate on it.</summary>
    Guid EventId { get; }

    Guid TaskId { get; }
    Guid OwnerId { get; }

    /// <summary>The task's version after the change; orders the events of one task.</summary>
    int Version { get; }

    DateTimeOffset OccurredAt { get; }
}
