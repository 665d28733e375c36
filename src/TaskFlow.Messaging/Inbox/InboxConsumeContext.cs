using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Inbox;

/// <summary>
/// The consume context one inbox step hands to MassTransit's outbox pipe: its flags come from the locked
/// <see cref="InboxState"/>, and every send or publish of the consumer (context, injected IPublishEndpoint,
/// scheduler) becomes an <see cref="OutboxMessage"/> row in the same transaction. With transactional scheduling
/// (<see cref="InboxScheduling{TDbContext}"/>) the consumer's scheduler writes <see cref="ScheduledMessage"/> rows in
/// that transaction instead of sending ScheduleMessage through the outbox.
/// </summary>
internal sealed class InboxConsumeContext<TDbContext, TMessage> : OutboxConsumeContextProxy<TMessage>
    where TDbContext : DbContext
    where TMessage : class
{
    private readonly TDbContext db;
    private readonly InboxState inbox;
    private readonly InboxTransaction transaction;
    private readonly TimeProvider clock;

    public InboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider, TDbContext db,
        InboxState inbox, InboxTransaction transaction, TimeProvider clock)
        : base(context, options, provider)
    {
        this.clock = clock;
        this.db = db;
        this.inbox = inbox;
        this.transaction = transaction;
        // Replaces the endpoint scheduler MassTransit's proxy constructor just re-created on this context.
        if (transaction.Scheduling is { } scheduling)
            context.AddOrUpdatePayload(() => scheduling.SchedulerFor(this, transaction), _ => scheduling.SchedulerFor(this, transaction));
    }

    public override Guid? MessageId => inbox.MessageId;
    public override bool ContinueProcessing { get; set; } = true;
    public override bool IsMessageConsumed => transaction.Inserted ? transaction.Consumed : inbox.Consumed.HasValue;
    public override bool IsOutboxDelivered => transaction.Inserted ? transaction.Delivered : inbox.Delivered.HasValue;
    public override int ReceiveCount => inbox.ReceiveCount;
    public override long? LastSequenceNumber => inbox.LastSequenceNumber;

    // Saved with the step's final SaveChanges, in one UPDATE of the row, just before the commit. A row this transaction
    // inserted already holds both times, so it needs no UPDATE unless the consumer sent something (AddSend).
    public override Task SetConsumed()
    {
        if (transaction.Inserted)
            transaction.Consumed = true;
        else
            inbox.Consumed = clock.GetUtcNow().UtcDateTime;
        return Task.CompletedTask;
    }

    public override Task SetDelivered()
    {
        if (transaction.Inserted)
            transaction.Delivered = true;
        else
            inbox.Delivered = clock.GetUtcNow().UtcDateTime;
        return Task.CompletedTask;
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        // Nothing can be stored for a row this transaction created but what the consumer just sent: no query for none.
        if (transaction is { Inserted: true, AddedMessages: false })
            return [];
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
        transaction is { Inserted: true, AddedMessages: false } ? Task.CompletedTask : db.Set<OutboxMessage>()
            .Where(m => m.InboxMessageId == inbox.MessageId && m.InboxConsumerId == ConsumerId)
            .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        // Scheduled, not sent: nothing for the delivery step, so the transaction needs no commit before it.
        if (transaction.Scheduling is not null && context.TryGetPayload<PendingSchedule>(out var schedule))
            return transaction.Schedules.StoreAsync(context, schedule, SerializerContext, CancellationToken);
        var message = OutboxMessage.FromSendContext(context, SerializerContext, clock.GetUtcNow().UtcDateTime);
        message.InboxMessageId = inbox.MessageId;
        message.InboxConsumerId = ConsumerId;
        lock (transaction)
        {
            db.Add(message);
            transaction.AddedMessages = true;
            // The row was inserted as delivered in case nothing would be sent: these must go out after the commit.
            if (transaction.Inserted)
                inbox.Delivered = null;
        }
        return Task.CompletedTask;
    }
}
