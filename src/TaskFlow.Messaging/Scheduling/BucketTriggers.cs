using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// One durable Quartz trigger per due-time bucket that holds messages. The trigger is ensured only after the row has
/// committed, so whichever firing follows the commit finds the row: a trigger that is still pending keeps its time
/// (TriggerConflict.Keep), and one that is already firing or gone is stored again and fires at once.
/// </summary>
internal sealed class BucketTriggers(IServiceProvider services, TaskFlowSchedulerOptions options, TimeProvider clock) : IDisposable
{
    public static readonly JobKey JobKey = new("scheduled-messages", "taskflow");
    public static readonly JobKey RecurringJobKey = new("recurring-messages", "taskflow");
    public const string TriggerGroup = "taskflow-buckets";
    public const string BucketKey = "bucket";
    public const string RecurringMessageKey = "message";

    /// <summary>MassTransit's Quartz integration names recurring triggers this way; cancelling accepts either spelling.</summary>
    private const string RecurringTriggerPrefix = "Recurring.Trigger.";

    /// <summary>
    /// A bucket ensured by this process whose start is further away than this cannot have begun firing (Quartz fires
    /// at most its fire-ahead window early; the rest is clock skew between nodes), so its trigger need not be touched
    /// again. This is what makes a burst into one future second cost one Quartz call instead of one per message.
    /// </summary>
    public static readonly TimeSpan SafeAhead = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<DateTime, byte> ensured = new();

    // Concurrent ScheduleTrigger calls on one key deadlock inside the job store (40P01, retried after a second each);
    // one at a time per process, and the cache usually answers the ones waiting.
    private readonly SemaphoreSlim gate = new(1, 1);
    private IScheduler? scheduler;

    public async ValueTask<IScheduler> SchedulerAsync(CancellationToken cancellationToken) =>
        scheduler ??= await services.GetRequiredKeyedService<ISchedulerFactory>(options.SchedulerName).GetScheduler(cancellationToken);

    public DateTime BucketOf(DateTime dueTime) => new(dueTime.Ticks - (dueTime.Ticks % options.BucketSize.Ticks), DateTimeKind.Utc);

    public async Task EnsureAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (bucket - now > SafeAhead && ensured.ContainsKey(bucket))
            return;

        var quartz = await SchedulerAsync(cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            now = clock.GetUtcNow().UtcDateTime;
            if (bucket - now > SafeAhead && ensured.ContainsKey(bucket))
                return;
            await quartz.ScheduleTrigger(Build(bucket, bucket), TriggerConflict.Keep, cancellationToken);
            if (bucket - now > SafeAhead)
                ensured.TryAdd(bucket, 0);
            foreach (var old in ensured.Keys.Where(b => b < now))
                ensured.TryRemove(old, out _);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The bucket fires again later (after a failed send); an earlier firing already stored wins.</summary>
    public async Task RetryAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        var quartz = await SchedulerAsync(cancellationToken);
        var at = clock.GetUtcNow().UtcDateTime + options.RetryDelay;
        await gate.WaitAsync(cancellationToken);
        try
        {
            await quartz.ScheduleTrigger(Build(bucket, at), TriggerConflict.KeepEarlier, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public static TriggerKey RecurringTriggerKey(string scheduleId, string? scheduleGroup)
    {
        var name = scheduleId.StartsWith(RecurringTriggerPrefix, StringComparison.Ordinal) ? scheduleId : RecurringTriggerPrefix + scheduleId;
        return string.IsNullOrEmpty(scheduleGroup) ? new TriggerKey(name) : new TriggerKey(name, scheduleGroup);
    }

    public static DateTime ReadBucket(IJobExecutionContext context) =>
        DateTime.Parse(context.MergedJobDataMap.GetString(BucketKey)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static ITrigger Build(DateTime bucket, DateTime fireAt) => TriggerBuilder.Create()
        .WithIdentity(new TriggerKey(bucket.ToString("yyyyMMdd'T'HHmmss.fffffff", CultureInfo.InvariantCulture), TriggerGroup))
        .ForJob(JobKey)
        .UsingJobData(BucketKey, bucket.ToString("O", CultureInfo.InvariantCulture))
        .StartAt(new DateTimeOffset(fireAt, TimeSpan.Zero))
        // A bucket missed while no scheduler ran (downtime) fires as soon as one runs again.
        .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();

    public void Dispose() => gate.Dispose();
}
