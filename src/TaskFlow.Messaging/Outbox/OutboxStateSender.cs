using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Outbox;

/// <summary>The delivery service's sends of one claimed state's messages, in order, each waiting for the broker's confirm.</summary>
internal sealed class OutboxStateSender(IBusControl bus, OutboxDeliveryServiceOptions options, TimeProvider clock, ILogger logger)
{
    /// <summary>Sends one state's messages in sequence order and stops at the first failure, so none overtakes another.</summary>
    public async Task<StateResult> SendInOrderAsync(List<OutboxMessage> messages, CancellationToken token)
    {
        var done = new List<long>(messages.Count);
        var sent = 0;
        foreach (var message in messages)
        {
            if (message.DestinationAddress is null || message.ExpirationTime < clock.GetUtcNow().UtcDateTime)
            {
                logger.LogWarning("Outbox message {MessageId} dropped: {Reason}", message.MessageId,
                    message.DestinationAddress is null ? "no destination" : "expired");
                done.Add(message.SequenceNumber);
                continue;
            }

            try
            {
                message.Hydrate(SystemTextJsonMessageSerializer.Instance);
                using var sendLimit = new CancellationTokenSource(options.MessageDeliveryTimeout, clock);
                using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(token, sendLimit.Token);
                var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
                using var activity = MessagingTelemetry.StartResend(MessagingTelemetry.OutboxDeliver, message, message.DestinationAddress);
                await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), sendTimeout.Token);
                done.Add(message.SequenceNumber);
                sent++;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Outbox message {MessageId} not sent to {Destination}; it stays for the next pass",
                    message.MessageId, message.DestinationAddress);
                return new StateResult(done, sent, true, CountsAsAttempt(exception) ? $"{exception.GetType().Name}: {exception.Message}" : null);
            }
        }

        return new StateResult(done, sent, false, null);
    }

    /// <summary>
    /// A failure says something about the message only when the broker was there to refuse it: a send that timed out, or
    /// one made while the bus is not healthy (an outage), would otherwise park whatever waits during an outage.
    /// </summary>
    private bool CountsAsAttempt(Exception exception) =>
        exception is not OperationCanceledException && bus.CheckHealth().Status == BusHealthStatus.Healthy;

    /// <summary>What one state's sends came to; <see cref="Refusal"/> is set when the failure counts as an attempt.</summary>
    public sealed record StateResult(List<long> Done, int Sent, bool Failed, string? Refusal);
}
