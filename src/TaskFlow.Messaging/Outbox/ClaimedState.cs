namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// One claimed outbox state, its failed attempts so far, whether a later state of its partition key waits for it, and the
/// messages loaded for it.
/// </summary>
internal sealed record ClaimedState(Guid OutboxId, int DeliveryAttempts, bool LaterStateWaits, List<OutboxMessage> Messages);
