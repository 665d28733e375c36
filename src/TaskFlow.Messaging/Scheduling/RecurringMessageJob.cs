using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>Fired by a recurring schedule's cron trigger, whose job data holds the message; each firing is a new message.</summary>
internal sealed class RecurringMessageJob(ScheduledMessageSender sender, RunningJobs running) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var _ = running.Enter();
        var json = context.MergedJobDataMap.GetString(SchedulerJobs.RecurringMessageKey)
            ?? throw new JobExecutionException("The recurring trigger carries no message.");
        var message = JsonSerializer.Deserialize<ScheduledMessage>(json, SystemTextJsonMessageSerializer.Options)
            ?? throw new JobExecutionException("The recurring trigger's message is empty.");
        message.MessageId = NewId.NextGuid();
        message.DueTime = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).UtcDateTime;
        await sender.SendAsync(message, await sender.PrepareAsync(message), cancellationToken);
    }
}
