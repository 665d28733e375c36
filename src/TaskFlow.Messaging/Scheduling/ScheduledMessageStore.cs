using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The few statements on <see cref="ScheduledMessage"/> that LINQ cannot express (upsert, row locks), with the table
/// and column names the DbContext maps, so they hold under any naming convention.
/// </summary>
internal sealed class ScheduledMessageStore
{
    private const string MappingCall = "call modelBuilder.AddTaskFlowSchedulerEntities()";

    private ScheduledMessageStore(IModel model)
    {
        var table = new OutboxTables.Table<ScheduledMessage>(model, MappingCall);
        var columns = new[]
        {
            table.Column(m => m.TokenId), table.Column(m => m.DueTime), table.Column(m => m.Bucket), table.Column(m => m.Created),
            table.Column(m => m.DestinationAddress), table.Column(m => m.MessageId), table.Column(m => m.ContentType),
            table.Column(m => m.MessageType), table.Column(m => m.Body), table.Column(m => m.Headers), table.Column(m => m.Properties),
            table.Column(m => m.ConversationId), table.Column(m => m.CorrelationId), table.Column(m => m.InitiatorId),
            table.Column(m => m.RequestId), table.Column(m => m.SourceAddress), table.Column(m => m.ResponseAddress),
            table.Column(m => m.FaultAddress), table.Column(m => m.ExpirationTime),
        };
        var token = columns[0];
        var placeholders = string.Join(", ", columns.Select((_, i) => "{" + i + "}"));
        UpsertStatement = $"""
            INSERT INTO {table.Name} ({string.Join(", ", columns)})
            VALUES ({placeholders})
            ON CONFLICT ({token}) DO UPDATE SET {string.Join(", ", columns.Skip(1).Select(c => $"{c} = EXCLUDED.{c}"))}
            """;
        var bucket = table.Column(m => m.Bucket);
        var due = table.Column(m => m.DueTime);
        ClaimStatement = $$"""
            SELECT * FROM {{table.Name}} WHERE {{bucket}} <= {0} AND {{due}} <= {1}
            ORDER BY {{due}}
            LIMIT {2}
            FOR UPDATE SKIP LOCKED
            """;
    }

    /// <summary>Insert, or move the message already stored under the same token (MassTransit's reschedule).</summary>
    public string UpsertStatement { get; }

    /// <summary>
    /// The rows of a bucket and of every earlier one (stragglers) due by the horizon, soonest first, that no other
    /// transaction holds.
    /// </summary>
    public string ClaimStatement { get; }

    private static ScheduledMessageStore? cached;
    private static IModel? cachedModel;

    public static ScheduledMessageStore For(DbContext context)
    {
        var model = context.Model;
        if (!ReferenceEquals(Volatile.Read(ref cachedModel), model))
        {
            cached = new ScheduledMessageStore(model);
            Volatile.Write(ref cachedModel, model);
        }

        return cached!;
    }

    /// <summary>The rows are committed when this returns: one autocommitted statement for one, one transaction for more.</summary>
    public static async Task UpsertAsync(DbContext db, IReadOnlyList<ScheduledMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 1)
        {
            await UpsertAsync(db, messages[0], cancellationToken);
            return;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            foreach (var message in messages)
                await UpsertAsync(db, message, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    private static async Task UpsertAsync(DbContext db, ScheduledMessage message, CancellationToken cancellationToken)
    {
        object?[] values =
        [
            message.TokenId, message.DueTime, message.Bucket, message.Created, message.DestinationAddress.ToString(), message.MessageId,
            message.ContentType, message.MessageType, message.Body, message.Headers, message.Properties, message.ConversationId,
            message.CorrelationId, message.InitiatorId, message.RequestId, message.SourceAddress?.ToString(), message.ResponseAddress?.ToString(),
            message.FaultAddress?.ToString(), message.ExpirationTime,
        ];
        await db.Database.ExecuteSqlRawAsync(For(db).UpsertStatement, values.Select(v => v ?? new NpgsqlParameter { Value = DBNull.Value }), cancellationToken);
    }

    public static async Task<bool> DeleteAsync(DbContext db, Guid tokenId, CancellationToken cancellationToken) =>
        await db.Set<ScheduledMessage>().Where(m => m.TokenId == tokenId).ExecuteDeleteAsync(cancellationToken) > 0;

    public static Task<List<ScheduledMessage>> ClaimAsync(DbContext db, DateTime bucket, DateTime horizon, int limit, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Claiming scheduled messages needs a transaction: the row locks are the claim.");
        return db.Set<ScheduledMessage>().FromSqlRaw(For(db).ClaimStatement, bucket, horizon, limit).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>The soonest due time after the horizon among the bucket's rows (the bucket is wider than the horizon).</summary>
    public static Task<DateTime?> NextDueAsync(DbContext db, DateTime bucket, DateTime horizon, CancellationToken cancellationToken) =>
        db.Set<ScheduledMessage>().AsNoTracking()
            .Where(m => m.Bucket <= bucket && m.DueTime > horizon)
            .MinAsync(m => (DateTime?)m.DueTime, cancellationToken);
}
