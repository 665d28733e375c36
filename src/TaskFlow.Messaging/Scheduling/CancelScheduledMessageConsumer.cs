using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>Deletes a scheduled message by token, or a recurring schedule by id and group.</summary>
internal sealed class CancelScheduledMessageConsumer<TDbContext>(IServiceScopeFactory scopeFactory, BucketTriggers triggers, TimeProvider clock)
    : IConsumer<CancelScheduledMessage>, IConsumer<CancelScheduledRecurringMessage>
    where TDbContext : DbContext
{
    /// <summary>
    /// The token's row goes and its tombstone stays, so that its ScheduleMessage, should it come again (redelivered,
    /// retried by its sender), is not stored. The bucket's trigger stays: it may hold other messages, and an empty
    /// firing costs one query.
    /// </summary>
    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var scope = scopeFactory.CreateAsyncScope();
        await ScheduledMessageStore.CancelAsync(scope.ServiceProvider.GetRequiredService<TDbContext>(), context.Message.TokenId,
            clock.GetUtcNow().UtcDateTime, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CancelScheduledRecurringMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scheduler = await triggers.SchedulerAsync(context.CancellationToken);
        await scheduler.UnscheduleJob(
            SchedulerJobs.RecurringTriggerKey(context.Message.ScheduleId, context.Message.ScheduleGroup), context.CancellationToken);
    }
}
