using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The few statements on <see cref="ScheduledMessage"/> that LINQ cannot express (upsert, row locks), with the table
/// and column names the DbContext maps, so they hold under any naming convention.
/// </summary>
internal sealed class ScheduledMessageStatements : IModelStatements<ScheduledMessageStatements>
{
    private const string MappingCall = "call modelBuilder.AddTaskFlowSchedulerEntities()";

    private ScheduledMessageStatements(IModel model)
    {
        var table = new ModelTable<ScheduledMessage>(model, MappingCall);
        var tombstones = new ModelTable<ScheduledMessageTombstone>(model, MappingCall);
        var columns = string.Join(", ", Columns.Select(c => table.Column(c.Property)));
        var token = table.Column(m => m.TokenId);
        var tombstoneToken = tombstones.Column(t => t.TokenId);
        var cancelled = tombstones.Column(t => t.Cancelled);
        var arrays = string.Join(", ", Columns.Select((_, i) => "{" + i + "}"));
        // One statement for the whole batch, whatever its size; a token with a tombstone is left out in the same statement.
        UpsertStatement = $"""
            INSERT INTO {table.Name} ({columns})
            SELECT m.* FROM unnest({arrays}) AS m({columns})
            WHERE NOT EXISTS (SELECT 1 FROM {tombstones.Name} t WHERE t.{tombstoneToken} = m.{token})
            ON CONFLICT ({token}) DO UPDATE SET {string.Join(", ", Columns.Skip(1).Select(c => table.Column(c.Property)).Select(c => $"{c} = EXCLUDED.{c}"))}
            """;
        CancelStatement = $$"""
            WITH removed AS (DELETE FROM {{table.Name}} WHERE {{token}} = {0})
            INSERT INTO {{tombstones.Name}} ({{tombstoneToken}}, {{cancelled}}) VALUES ({0}, {1})
            ON CONFLICT ({{tombstoneToken}}) DO UPDATE SET {{cancelled}} = EXCLUDED.{{cancelled}}
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

    /// <summary>The stored columns, each with the array of a batch's values the upsert unnests (token first).</summary>
    private static readonly Column[] Columns =
    [
        Column.Of(m => m.TokenId, NpgsqlDbType.Uuid, b => b.Select(m => m.TokenId).ToArray()),
        Column.Of(m => m.DueTime, NpgsqlDbType.TimestampTz, b => b.Select(m => m.DueTime).ToArray()),
        Column.Of(m => m.Bucket, NpgsqlDbType.TimestampTz, b => b.Select(m => m.Bucket).ToArray()),
        Column.Of(m => m.Created, NpgsqlDbType.TimestampTz, b => b.Select(m => m.Created).ToArray()),
        Column.Of(m => m.DestinationAddress, NpgsqlDbType.Text, b => b.Select(m => m.Destination.ToString()).ToArray()),
        Column.Of(m => m.MessageId, NpgsqlDbType.Uuid, b => b.Select(m => m.MessageId).ToArray()),
        Column.Of(m => m.ContentType, NpgsqlDbType.Text, b => b.Select(m => m.ContentType).ToArray()),
        Column.Of(m => m.MessageType, NpgsqlDbType.Text, b => b.Select(m => m.MessageType).ToArray()),
        Column.Of(m => m.Body, NpgsqlDbType.Text, b => b.Select(m => m.Body).ToArray()),
        Column.Of(m => m.Headers, NpgsqlDbType.Text, b => b.Select(m => m.Headers).ToArray()),
        Column.Of(m => m.Properties, NpgsqlDbType.Text, b => b.Select(m => m.Properties).ToArray()),
        Column.Of(m => m.ConversationId, NpgsqlDbType.Uuid, b => b.Select(m => m.ConversationId).ToArray()),
        Column.Of(m => m.CorrelationId, NpgsqlDbType.Uuid, b => b.Select(m => m.CorrelationId).ToArray()),
        Column.Of(m => m.InitiatorId, NpgsqlDbType.Uuid, b => b.Select(m => m.InitiatorId).ToArray()),
        Column.Of(m => m.RequestId, NpgsqlDbType.Uuid, b => b.Select(m => m.RequestId).ToArray()),
        Column.Of(m => m.SourceAddress, NpgsqlDbType.Text, b => b.Select(m => m.SourceAddress?.ToString()).ToArray()),
        Column.Of(m => m.ResponseAddress, NpgsqlDbType.Text, b => b.Select(m => m.ResponseAddress?.ToString()).ToArray()),
        Column.Of(m => m.FaultAddress, NpgsqlDbType.Text, b => b.Select(m => m.FaultAddress?.ToString()).ToArray()),
        Column.Of(m => m.ExpirationTime, NpgsqlDbType.TimestampTz, b => b.Select(m => m.ExpirationTime).ToArray()),
    ];

    private sealed record Column(Expression<Func<ScheduledMessage, object?>> Property, NpgsqlDbType Type, Func<IReadOnlyList<ScheduledMessage>, object> Values)
    {
        public static Column Of(Expression<Func<ScheduledMessage, object?>> property, NpgsqlDbType type, Func<IReadOnlyList<ScheduledMessage>, object> values) =>
            new(property, type, values);

        public NpgsqlParameter Parameter(IReadOnlyList<ScheduledMessage> batch) =>
            new() { NpgsqlDbType = NpgsqlDbType.Array | Type, Value = Values(batch) };
    }

    /// <summary>
    /// Insert, or move the message already stored under the same token (MassTransit's reschedule), unless the token
    /// was cancelled.
    /// </summary>
    public string UpsertStatement { get; }

    /// <summary>Delete the token's message and leave its tombstone.</summary>
    public string CancelStatement { get; }

    /// <summary>
    /// The rows of a bucket and of every earlier one (stragglers) due by the horizon, soonest first, that no other
    /// transaction holds.
    /// </summary>
    public string ClaimStatement { get; }

    public static ScheduledMessageStatements Build(IModel model) => new(model);

    /// <summary>The upsert's parameters: one array per column of a batch's values.</summary>
    public static IEnumerable<NpgsqlParameter> UpsertParameters(IReadOnlyList<ScheduledMessage> batch) => Columns.Select(c => c.Parameter(batch));
}
