using MassTransit;
using MassTransit.Scheduling;
using TaskFlow.Messaging.Inbox;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// MassTransit's <see cref="IScheduleMessageProvider"/> for a consumer behind the inbox: the message is sent through the
/// consumer's own (outbox) send endpoint, so it is built exactly as any send of the consumer (ids, headers, serializer,
/// the caller's pipe), and the inbox stores it as a <see cref="ScheduledMessage"/> instead of an outbox message. The
/// token is MassTransit's (<see cref="ScheduleTokenIdCache{T}"/>, or the one the pipe sets as ScheduledMessageId).
/// </summary>
internal sealed class InboxScheduleMessageProvider(ConsumeContext context, InboxTransaction transaction) : IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken)
        where T : class
    {
        if (!MessageTypeCache<T>.IsValidMessageType)
            throw new ArgumentException(MessageTypeCache<T>.InvalidMessageTypeReason, nameof(message));
        var schedule = new PendingSchedule(ScheduledMessage.AsUtc(scheduledTime), ScheduleTokenIdCache<T>.GetTokenId(message));
        var endpoint = await context.GetSendEndpoint(destinationAddress);
        await endpoint.Send(message, new SchedulePipe<T>(schedule, pipe), cancellationToken);
        return new ScheduledMessageHandle<T>(schedule.TokenId, scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => transaction.Schedules.CancelAsync(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        transaction.Schedules.CancelAsync(tokenId, cancellationToken);

    private sealed class SchedulePipe<T>(PendingSchedule schedule, IPipe<SendContext<T>> pipe) : IPipe<SendContext<T>>
        where T : class
    {
        public async Task Send(SendContext<T> context)
        {
            context.ScheduledMessageId = schedule.TokenId;
            context.GetOrAddPayload(() => schedule);
            if (pipe.IsNotEmpty())
                await pipe.Send(context);
            if (context.ScheduledMessageId is { } token)
                schedule.TokenId = token;
        }

        public void Probe(ProbeContext context) => pipe.Probe(context);
    }
}
