using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>Where scheduled messages are stored, moved, cancelled and claimed.</summary>
internal static class ScheduledMessageStore
{
    /// <summary>
    /// One statement, atomic by itself or part of the caller's transaction. Of several messages under one token the
    /// last wins (one statement cannot upsert a row twice), as it would in that order one by one.
    /// </summary>
    public static async Task UpsertAsync(DbContext db, IReadOnlyList<ScheduledMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return;
        var batch = messages.Select((m, i) => (m, i)).GroupBy(x => x.m.TokenId).Select(g => g.Last()).OrderBy(x => x.i).Select(x => x.m).ToList();
        await db.Database.ExecuteSqlRawAsync(Statements(db).UpsertStatement, ScheduledMessageStatements.UpsertParameters(batch), cancellationToken);
    }

    /// <summary>Deletes the token's message, if stored, and keeps the token as cancelled so that it is not stored again.</summary>
    public static Task CancelAsync(DbContext db, Guid tokenId, DateTime now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Statements(db).CancelStatement, [tokenId, now], cancellationToken);

    /// <summary>Forgets at most <paramref name="limit"/> of the oldest tombstones cancelled before the cut-off.</summary>
    public static Task<int> PruneTombstonesAsync(DbContext db, DateTime cutoff, int limit, CancellationToken cancellationToken)
    {
        var oldest = db.Set<ScheduledMessageTombstone>().Where(t => t.Cancelled < cutoff).OrderBy(t => t.Cancelled).Take(limit).Select(t => t.TokenId);
        return db.Set<ScheduledMessageTombstone>().Where(t => oldest.Contains(t.TokenId)).ExecuteDeleteAsync(cancellationToken);
    }

    public static Task<List<ScheduledMessage>> ClaimAsync(DbContext db, DateTime bucket, DateTime horizon, int limit, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Claiming scheduled messages needs a transaction: the row locks are the claim.");
        return db.Set<ScheduledMessage>().FromSqlRaw(Statements(db).ClaimStatement, bucket, horizon, limit).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>The soonest due time after the horizon among the bucket's rows (the bucket is wider than the horizon).</summary>
    public static Task<DateTime?> NextDueAsync(DbContext db, DateTime bucket, DateTime horizon, CancellationToken cancellationToken) =>
        db.Set<ScheduledMessage>().AsNoTracking()
            .Where(m => m.Bucket <= bucket && m.DueTime > horizon)
            .MinAsync(m => (DateTime?)m.DueTime, cancellationToken);

    private static ScheduledMessageStatements Statements(DbContext db) => ModelStatements.For<ScheduledMessageStatements>(db);
}
