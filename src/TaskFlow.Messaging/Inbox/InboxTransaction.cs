using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Inbox;

/// <summary>What the steps of one inbox transaction share.</summary>
internal sealed class InboxTransaction(bool inserted, InboxScheduling? scheduling, DbContext db) : IDisposable
{
    private readonly Lock beginning = new();
    private TransactionSchedules? schedules;

    /// <summary>
    /// This transaction's upsert created the row, stored as consumed and delivered already: if the consumer succeeds
    /// and sends nothing the commit needs no UPDATE, and if it fails the rollback takes the row away with everything else.
    /// Until then the steps see the row as the pipe has advanced it (<see cref="Consumed"/>, <see cref="Delivered"/>).
    /// </summary>
    public bool Inserted { get; } = inserted;

    public bool Consumed { get; set; }
    public bool Delivered { get; set; }

    /// <summary>Whether the consumer sent or published anything.</summary>
    public bool AddedMessages { get; set; }

    /// <summary>Set when scheduling is transactional: the consumer's scheduler writes in this transaction.</summary>
    public InboxScheduling? Scheduling { get; } = scheduling;

    /// <summary>Where the consumer's scheduler writes: begun at its first schedule or cancel, since most consumers never schedule.</summary>
    public TransactionSchedules Schedules
    {
        get
        {
            lock (beginning)
                return schedules ??= (Scheduling ?? throw new InvalidOperationException("Scheduling is not transactional here.")).Begin(db);
        }
    }

    /// <summary>After the commit: the buckets of what was scheduled get their triggers. Does not throw.</summary>
    public Task CommittedAsync(CancellationToken cancellationToken) => schedules?.CommittedAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => schedules?.Dispose();
}
