using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using TaskFlow.Components.Data;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Recurrence;

/// <summary>
/// Creates the occurrences of repeating series. By schedule, it keeps one <see cref="CreateNextOccurrence"/> scheduled
/// per series, for the moment the next slot should appear; from completion, it creates the next occurrence as soon
/// as the latest one is completed. Every decision is taken on the series row, locked, so two workers or a repeated
/// message cannot fill a slot twice; the unique (series, slot) index is the last guard.
/// </summary>
public sealed class RecurrenceConsumer(TaskFlowDbContext db, TimeProvider clock, ILogger<RecurrenceConsumer> logger) :
    IConsumer<TaskSeriesChanged>, IConsumer<CreateNextOccurrence>, IConsumer<TaskCompleted>
{
    private static readonly LocalDateTimePattern SlotPattern = LocalDateTimePattern.ExtendedIso;

    public async Task Consume(ConsumeContext<TaskSeriesChanged> context)
    {
        var series = await LockAsync(context.Message.SeriesId, context.CancellationToken);
        if (series is null)
            return;
        await ScheduleNextAsync(series, context);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CreateNextOccurrence> context)
    {
        var message = context.Message;
        var series = await LockAsync(message.SeriesId, context.CancellationToken);
        var slot = SlotPattern.Parse(message.Slot).GetValueOrThrow().ToDateTimeUnspecified();
        // A schedule the owner has since replaced, or a slot already filled (a duplicate), creates nothing.
        if (series is not { Status: SeriesStatus.Active, Mode: RecurrenceMode.Schedule }
            || series.Version != message.SeriesVersion || series.NextSlot != slot)
        {
            logger.LogDebug("Occurrence {Slot} of series {SeriesId} is no longer wanted", message.Slot, message.SeriesId);
            return;
        }

        series.NextSlot = null;
        series.NextTokenId = null;
        await CreateOccurrenceAsync(series, series.At(slot), slot, context);
        await ScheduleNextAsync(series, context);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<TaskCompleted> context)
    {
        if (context.Message.Task.SeriesId is not { } seriesId)
            return;
        var series = await LockAsync(seriesId, context.CancellationToken);
        if (series is not { Status: SeriesStatus.Active, Mode: RecurrenceMode.Completion })
            return;

        // Only completing the latest occurrence moves the series on; completing an older one, or the same one again
        // after reopening it, does not.
        var completedSlot = await db.Tasks
            .Where(t => t.Id == context.Message.TaskId)
            .Select(t => t.SeriesSlot)
            .SingleOrDefaultAsync(context.CancellationToken);
        if (completedSlot != series.LastSlot)
            return;

        var completedAt = context.Message.Task.CompletedAt ?? context.Message.OccurredAt;
        var next = SeriesSchedule.NextAfterCompletion(series, completedAt);
        if (next is null)
            series.Status = SeriesStatus.Ended;
        else
            await CreateOccurrenceAsync(series, next, SeriesSchedule.CompletionSlot(series, completedAt), context);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    private async Task CreateOccurrenceAsync(TaskSeries series, DueDate due, DateTime slot, ConsumeContext context)
    {
        var now = clock.GetUtcNowForStorage();
        series.LastSlot = slot;
        series.UpdatedAt = now;
        if (await db.Tasks.AnyAsync(t => t.SeriesId == series.Id && t.SeriesSlot == slot, context.CancellationToken))
            return;

        var task = series.NewOccurrence(due, slot, now);
        db.Tasks.Add(task);
        await context.Publish(TaskEventFactory.OccurrenceCreated(task, now), context.CancellationToken);
        logger.LogInformation("Created occurrence {TaskId} of series {SeriesId}, due {Due}", task.Id, series.Id, due.At);
    }

    /// <summary>Replaces whatever was scheduled for the series with its next slot by schedule, if it has one.</summary>
    private async Task ScheduleNextAsync(TaskSeries series, ConsumeContext context)
    {
        var scheduler = context.GetPayload<MessageSchedulerContext>();
        if (series.NextTokenId is { } previous)
            await scheduler.CancelScheduledSend(RecurrenceConsumerDefinition.Address, previous, context.CancellationToken);
        series.NextSlot = null;
        series.NextTokenId = null;
        if (series is not { Status: SeriesStatus.Active, Mode: RecurrenceMode.Schedule })
            return;

        var now = clock.GetUtcNow();
        var next = SeriesSchedule.NextBySchedule(series, series.LastSlot, now);
        if (next is null)
        {
            series.Status = SeriesStatus.Ended;
            return;
        }

        var appears = series.AppearsAt(next);
        var slot = SlotPattern.Format(next.Local);
        var scheduled = await scheduler.ScheduleSend(
            RecurrenceConsumerDefinition.Address, (appears < now ? now : appears).UtcDateTime,
            new CreateNextOccurrence(series.Id, slot, series.Version), context.CancellationToken);
        series.NextSlot = next.Local.ToDateTimeUnspecified();
        series.NextTokenId = scheduled.TokenId;
    }

    private Task<TaskSeries?> LockAsync(Guid seriesId, CancellationToken cancellationToken) => db.LockSeriesAsync(seriesId, cancellationToken);
}
