using Microsoft.EntityFrameworkCore.Metadata;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Inbox;

/// <summary>The inbox's one statement LINQ cannot express: create or lock the (message, consumer) row.</summary>
internal sealed class InboxStatements : IModelStatements<InboxStatements>
{
    private InboxStatements(IModel model)
    {
        var table = new ModelTable<InboxState>(model, OutboxModelBuilderExtensions.MappingHint);
        var messageId = table.Column(i => i.MessageId);
        var consumerId = table.Column(i => i.ConsumerId);
        var lockId = table.Column(i => i.LockId);
        var receiveCount = table.Column(i => i.ReceiveCount);
        // A first receive is inserted as consumed and delivered already (see InboxTransaction.Inserted); an existing row
        // keeps its times and is only locked.
        Upsert = $$"""
            INSERT INTO {{table.Name}} AS inbox ({{messageId}}, {{consumerId}}, {{lockId}}, {{table.Column(i => i.Received)}}, {{receiveCount}},
                {{table.Column(i => i.Consumed)}}, {{table.Column(i => i.Delivered)}})
            VALUES ({0}, {1}, {2}, {3}, {4}, CASE WHEN {4} = 1 THEN {3} END, CASE WHEN {4} = 1 THEN {3} END)
            ON CONFLICT ({{messageId}}, {{consumerId}})
            DO UPDATE SET {{lockId}} = excluded.{{lockId}}, {{receiveCount}} = inbox.{{receiveCount}} + excluded.{{receiveCount}}
            RETURNING *
            """;
    }

    /// <summary>Parameters: message id, consumer id, lock id, now, and the receive count to add (1 on a first step, else 0).</summary>
    public string Upsert { get; }

    public static InboxStatements Build(IModel model) => new(model);
}
