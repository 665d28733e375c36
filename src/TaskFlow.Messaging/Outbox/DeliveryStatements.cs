using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// The delivery pass's SQL, built once from the DbContext's model (so any naming convention holds), and read without EF's
/// query pipeline: one statement claims the states and brings their first messages, one batch finishes them.
/// </summary>
internal sealed class DeliveryStatements : IModelStatements<DeliveryStatements>
{
    private readonly string claim;
    private readonly string deleteFinished;
    private readonly string deleteSent;
    private readonly string recordProgress;
    private readonly string recordFailure;
    private readonly (IProperty Property, ValueConverter? Converter)[] messageColumns;

    /// <summary>The claim's columns: the state's id, attempts and whether a later state of its key waits, then the message's.</summary>
    private const int FirstMessageColumn = 3;

    private DeliveryStatements(IModel model)
    {
        var state = new ModelTable<OutboxState>(model, OutboxModelBuilderExtensions.MappingHint);
        var message = new ModelTable<OutboxMessage>(model, OutboxModelBuilderExtensions.MappingHint);
        var id = state.Column(s => s.OutboxId);
        var created = state.Column(s => s.Created);
        var key = state.Column(s => s.PartitionKey);
        var attempts = state.Column(s => s.DeliveryAttempts);
        var parked = state.Column(s => s.Parked);
        var sequence = message.Column(m => m.SequenceNumber);
        var last = state.Column(s => s.LastSequenceNumber);

        // The sequence number first: a claimed state with no message left comes back once, with nulls from there on.
        messageColumns = [.. message.EntityType.GetProperties()
            .Where(p => p.PropertyInfo is not null)
            .OrderBy(p => p.Name == nameof(OutboxMessage.SequenceNumber) ? 0 : 1)
            .Select(p => (p, p.GetTypeMapping().Converter))];
        var columns = string.Join(", ", messageColumns.Select(c => "m." + message.Column(c.Property)));

        // The oldest unlocked states that have no older state with the same partition key. An older state held by another
        // pass is still visible here, so the newer one waits for it; states without a key never wait. A parked state is
        // neither claimed nor waited for: the one place where a key's order gives way (ADR 0006).
        // Messages come after the state's progress as locked, not as the statement's snapshot saw it: a state another pass
        // left half-sent and committed after this statement began is locked in its new version (READ COMMITTED rechecks a
        // locked row), while the messages that pass deleted are still in this statement's snapshot and would go again.
        // Whether a later state of the same key waits behind a claimed one says if the pass needs another after it.
        claim = $"""
            WITH claimed AS (
                SELECT s.{id}, s.{created}, s.{attempts}, s.{last}, EXISTS (
                    SELECT 1 FROM {state.Name} AS n
                    WHERE n.{key} = s.{key} AND n.{parked} IS NULL AND (n.{created}, n.{id}) > (s.{created}, s.{id})) AS waiting
                FROM {state.Name} AS s
                WHERE s.{parked} IS NULL AND NOT EXISTS (
                    SELECT 1 FROM {state.Name} AS p
                    WHERE p.{key} = s.{key} AND p.{parked} IS NULL AND (p.{created}, p.{id}) < (s.{created}, s.{id}))
                ORDER BY s.{created}, s.{id}
                LIMIT $1
                FOR UPDATE OF s SKIP LOCKED)
            SELECT c.{id}, c.{attempts}, c.waiting, {columns}
            FROM claimed AS c
            LEFT JOIN LATERAL (
                SELECT * FROM {message.Name} WHERE {message.Column(m => m.OutboxId)} = c.{id} AND {sequence} > coalesce(c.{last}, 0)
                ORDER BY {sequence} LIMIT $2) AS m ON true
            ORDER BY c.{created}, c.{id}, m.{sequence}
            """;
        // The foreign key deletes a finished state's messages with it.
        deleteFinished = $"DELETE FROM {state.Name} WHERE {id} = ANY($1)";
        deleteSent = $"DELETE FROM {message.Name} WHERE {sequence} = ANY($1)";
        recordProgress = $"""
            UPDATE {state.Name} AS s SET {state.Column(s => s.LastSequenceNumber)} = v.last, {state.Column(s => s.LockId)} = v.lock
            FROM unnest($1::uuid[], $2::bigint[], $3::uuid[]) AS v(id, last, lock)
            WHERE s.{id} = v.id
            """;
        recordFailure = $"""
            UPDATE {state.Name} AS s SET {attempts} = v.attempts, {state.Column(s => s.LastError)} = v.error,
                {parked} = CASE WHEN v.park THEN $5 END
            FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::boolean[]) AS v(id, attempts, error, park)
            WHERE s.{id} = v.id
            """;
    }

    public static DeliveryStatements Build(IModel model) => new(model);

    /// <summary>At most <paramref name="stateLimit"/> claimed states, oldest first, each with its first <paramref name="messageLimit"/> messages in sequence order.</summary>
    public async Task<List<ClaimedState>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int stateLimit, int messageLimit,
        CancellationToken token)
    {
        await using var command = new NpgsqlCommand(claim, connection, transaction)
        {
            Parameters = { new NpgsqlParameter { Value = stateLimit }, new NpgsqlParameter { Value = messageLimit } },
        };
        await using var reader = await command.ExecuteReaderAsync(token);
        var states = new List<ClaimedState>();
        ClaimedState? current = null;
        while (await reader.ReadAsync(token))
        {
            var outboxId = reader.GetGuid(0);
            if (current is null || current.OutboxId != outboxId)
            {
                current = new ClaimedState(outboxId, reader.GetInt32(1), reader.GetBoolean(2), []);
                states.Add(current);
            }

            if (await reader.IsDBNullAsync(FirstMessageColumn, token))
                continue;
            var message = new OutboxMessage();
            for (var i = 0; i < messageColumns.Length; i++)
            {
                var (property, converter) = messageColumns[i];
                var value = await reader.IsDBNullAsync(i + FirstMessageColumn, token) ? null : reader.GetValue(i + FirstMessageColumn);
                if (value is not null && converter is not null)
                    value = converter.ConvertFromProvider(value);
                property.PropertyInfo!.SetValue(message, value);
            }

            current.Messages.Add(message);
        }

        return states;
    }

    /// <summary>Deletes the finished states (and their messages); for the others, the messages sent and how far they got.</summary>
    public void AddFinish(NpgsqlBatch batch, List<Guid> finished, List<(Guid Id, long Last, List<long> Done)> partial)
    {
        if (finished.Count > 0)
            batch.BatchCommands.Add(Command(deleteFinished, new NpgsqlParameter { Value = finished.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }));
        if (partial.Count == 0)
            return;
        batch.BatchCommands.Add(Command(deleteSent,
            new NpgsqlParameter { Value = partial.SelectMany(p => p.Done).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }));
        batch.BatchCommands.Add(Command(recordProgress,
            new NpgsqlParameter { Value = partial.Select(p => p.Id).ToArray() },
            new NpgsqlParameter { Value = partial.Select(p => p.Last).ToArray() },
            new NpgsqlParameter { Value = partial.Select(_ => MassTransit.NewId.NextGuid()).ToArray() }));
    }

    /// <summary>Counts a failed attempt for each state (its last error kept), parking those at the limit as of <paramref name="now"/>.</summary>
    public void AddFailures(NpgsqlBatch batch, List<FailedState> failed, DateTime now)
    {
        if (failed.Count == 0)
            return;
        batch.BatchCommands.Add(Command(recordFailure,
            new NpgsqlParameter { Value = failed.Select(f => f.OutboxId).ToArray() },
            new NpgsqlParameter { Value = failed.Select(f => f.Attempts).ToArray() },
            new NpgsqlParameter { Value = failed.Select(f => f.Error).ToArray() },
            new NpgsqlParameter { Value = failed.Select(f => f.Park).ToArray() },
            new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz }));
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
