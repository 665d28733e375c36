using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// The consume context one inbox step hands to MassTransit's outbox pipe: its flags come from the locked
/// <see cref="InboxState"/>, and every send or publish of the consumer (context, injected IPublishEndpoint,
/// scheduler) becomes an <see cref="OutboxMessage"/> row in the same transaction.
/// </summary>
internal sealed class InboxConsumeContext<TDbContext, TMessage> : OutboxConsumeContextProxy<TMessage>
    where TDbContext : DbContext
    where TMessage : class
{
    private readonly TDbContext db;
    private readonly InboxState inbox;
    private readonly Lock sync = new();

    public InboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider, TDbContext db,
        InboxState inbox)
        : base(context, options, provider)
    {
        this.db = db;
        this.inbox = inbox;
    }

    /// <summary>Whether the consumer sent or published anything in this step.</summary>
    public bool AddedMessages { get; private set; }

    public override Guid? MessageId => inbox.MessageId;
    public override bool ContinueProcessing { get; set; } = true;
    public override bool IsMessageConsumed => inbox.Consumed.HasValue;
    public override bool IsOutboxDelivered => inbox.Delivered.HasValue;
    public override int ReceiveCount => inbox.ReceiveCount;
    public override long? LastSequenceNumber => inbox.LastSequenceNumber;

    // Both are saved with the step's final SaveChanges, in one UPDATE of the row, just before the commit.
    public override Task SetConsumed()
    {
        inbox.Consumed = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public override Task SetDelivered()
    {
        inbox.Delivered = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var last = inbox.LastSequenceNumber ?? 0;
        var messages = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.InboxMessageId == inbox.MessageId && m.InboxConsumerId == ConsumerId && m.SequenceNumber > last)
            .OrderBy(m => m.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .ToListAsync(CancellationToken);
        foreach (var message in messages)
            message.Hydrate(SerializerContext);
        return [.. messages];
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        ArgumentNullException.ThrowIfNull(message);
        inbox.LastSequenceNumber = message.SequenceNumber;
        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages() =>
        db.Set<OutboxMessage>()
            .Where(m => m.InboxMessageId == inbox.MessageId && m.InboxConsumerId == ConsumerId)
            .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        var message = OutboxMessage.FromSendContext(context, SerializerContext);
        message.InboxMessageId = inbox.MessageId;
        message.InboxConsumerId = ConsumerId;
        lock (sync)
        {
            db.Add(message);
            AddedMessages = true;
        }
        return Task.CompletedTask;
    }
}
