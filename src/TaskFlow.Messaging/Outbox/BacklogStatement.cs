using Microsoft.EntityFrameworkCore.Metadata;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>The backlog gauges' one query, from the outbox tables the DbContext maps.</summary>
internal sealed class BacklogStatement : IModelStatements<BacklogStatement>
{
    private BacklogStatement(IModel model)
    {
        var message = new ModelTable<OutboxMessage>(model, OutboxModelBuilderExtensions.MappingHint);
        var state = new ModelTable<OutboxState>(model, OutboxModelBuilderExtensions.MappingHint);
        var outboxId = state.Column(s => s.OutboxId);
        var waiting = $"s.{state.Column(s => s.Parked)} IS NULL";
        Sql = $"""
            SELECT count(*) FILTER (WHERE {waiting}), min(m.{message.Column(m => m.SentTime)}) FILTER (WHERE {waiting}),
                   count(*) FILTER (WHERE NOT {waiting})
            FROM {message.Name} AS m LEFT JOIN {state.Name} AS s ON s.{outboxId} = m.{message.Column(m => m.OutboxId)}
            """;
    }

    /// <summary>Messages waiting (parked ones apart), the oldest one's sent time, and messages parked.</summary>
    public string Sql { get; }

    public static BacklogStatement Build(IModel model) => new(model);
}
