namespace TaskFlow.Messaging.Outbox;

/// <summary>A state whose send failed in a way that counts: its attempts now, the error, and whether it is parked.</summary>
internal sealed record FailedState(Guid OutboxId, int Attempts, string Error, bool Park);
