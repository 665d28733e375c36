using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Stores each <see cref="ScheduleMessage"/> under its token and makes sure its bucket has a trigger; a
/// <see cref="ScheduleRecurringMessage"/> becomes a Quartz cron trigger carrying the message.
/// <see cref="ScheduleMessage"/>s come in batches, whose rows are written in one statement on a DbContext of its own
/// (a token cancelled already is left out), outside any inbox around this consumer: the upsert is idempotent by token
/// (a redelivery writes the same row again), and the triggers must be ensured only after the rows have committed,
/// which an enclosing inbox transaction would defer past it. A burst of messages scheduled at once costs a statement
/// per batch, not per message.
/// </summary>
internal sealed class ScheduleMessageConsumer<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketTriggers triggers,
    TimeProvider clock,
    SchedulerCounters counters) : IConsumer<Batch<ScheduleMessage>>, IConsumer<ScheduleRecurringMessage>
    where TDbContext : DbContext
{
    public async Task Consume(ConsumeContext<Batch<ScheduleMessage>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A batch runs under the span of one of its messages: only a batch of one can continue its trace from there;
        // the others keep their sender's span as the parent of the send, so each still continues its own trace.
        var alone = context.Message.Length == 1;
        var messages = context.Message.Select(m => Stored(m, alone)).ToList();
        await using (var scope = scopeFactory.CreateAsyncScope())
            await ScheduledMessageStore.UpsertAsync(scope.ServiceProvider.GetRequiredService<TDbContext>(), messages, context.CancellationToken);
        foreach (var bucket in messages.Select(m => m.Bucket).Distinct().Order())
            await triggers.EnsureAsync(bucket, context.CancellationToken);
        counters.Scheduled(messages.Count);
    }

    private ScheduledMessage Stored(ConsumeContext<ScheduleMessage> context, bool traceFromHere)
    {
        var command = context.Message;
        var dueTime = ScheduledMessage.AsUtc(command.ScheduledTime);
        var message = Capture(context, command.Payload, command.PayloadType, command.Destination, traceFromHere);
        message.TokenId = command.CorrelationId;
        message.DueTime = dueTime;
        message.Bucket = triggers.BucketOf(dueTime);
        return message;
    }

    public async Task Consume(ConsumeContext<ScheduleRecurringMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var schedule = command.Schedule;
        var message = Capture(context, command.Payload, command.PayloadType, command.Destination, traceFromHere: true);
        message.TokenId = command.CorrelationId;

        var timeZone = string.IsNullOrWhiteSpace(schedule.TimeZoneId) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZoneId);
        var cron = CronScheduleBuilder.Create(schedule.CronExpression).InTimeZone(timeZone);
        cron = schedule.MisfirePolicy switch
        {
            MissedEventPolicy.Skip => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing),
            MissedEventPolicy.Send => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed),
            _ => cron,
        };
        var builder = TriggerBuilder.Create()
            .WithIdentity(SchedulerJobs.RecurringTriggerKey(schedule.ScheduleId, schedule.ScheduleGroup))
            .ForJob(SchedulerJobs.RecurringJobKey)
            .WithDescription(schedule.Description)
            .StartAt(schedule.StartTime)
            .UsingJobData(SchedulerJobs.RecurringMessageKey, JsonSerializer.Serialize(message, SystemTextJsonMessageSerializer.Options))
            .WithSchedule(cron);
        if (schedule.EndTime is { } end)
            builder = builder.EndAt(end);

        var scheduler = await triggers.SchedulerAsync(context.CancellationToken);
        await scheduler.ScheduleTrigger(builder.Build(), TriggerConflict.Replace, context.CancellationToken);
    }

    /// <summary>
    /// The payload re-wrapped in the received envelope (the sender's headers and ids stay), and the context to send it with:
    /// what MassTransit's Quartz consumer keeps in a trigger's job data.
    /// </summary>
    private ScheduledMessage Capture<T>(ConsumeContext<T> context, object payload, string[] payloadType, Uri destination, bool traceFromHere)
        where T : class
    {
        var body = context.SerializerContext.GetMessageSerializer(payload, payloadType)
            .GetMessageBody(new MessageSendContext<T>(context.Message)).GetString();
        var headers = context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value);
        // The due send continues the trace from this consume, whatever the ScheduleMessage's own headers carried.
        if (traceFromHere)
            MessagingTelemetry.KeepCurrent(headers);
        string? transportProperties = null;
        if (context.ReceiveContext.TryGetPayload<TransportReceiveContext>(out var transport) && transport.GetTransportProperties() is { } properties)
            transportProperties = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(properties);

        return new ScheduledMessage
        {
            Created = clock.GetUtcNow().UtcDateTime,
            DestinationAddress = destination,
            MessageId = context.MessageId ?? NewId.NextGuid(),
            ContentType = context.ReceiveContext.ContentType?.ToString() ?? SystemTextJsonMessageSerializer.JsonContentType.ToString(),
            MessageType = string.Join(';', payloadType),
            Body = body,
            Headers = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(headers),
            Properties = transportProperties,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            ExpirationTime = context.ExpirationTime is { } expiration ? ScheduledMessage.AsUtc(expiration) : null,
        };
    }
}
