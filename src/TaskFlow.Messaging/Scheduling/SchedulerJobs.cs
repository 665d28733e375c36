using System.Globalization;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// What the scheduler keeps in Quartz's tables: its job keys, the bucket triggers' group and names, and the job data
/// they carry. Stored rows depend on them, so none of them changes.
/// </summary>
internal static class SchedulerJobs
{
    public static readonly JobKey JobKey = new("scheduled-messages", "taskflow");
    public static readonly JobKey RecurringJobKey = new("recurring-messages", "taskflow");
    public const string TriggerGroup = "taskflow-buckets";
    public const string BucketKey = "bucket";
    public const string RecurringMessageKey = "message";

    /// <summary>MassTransit's Quartz integration names recurring triggers this way; cancelling accepts either spelling.</summary>
    private const string RecurringTriggerPrefix = "Recurring.Trigger.";

    public static TriggerKey RecurringTriggerKey(string scheduleId, string? scheduleGroup)
    {
        var name = scheduleId.StartsWith(RecurringTriggerPrefix, StringComparison.Ordinal) ? scheduleId : RecurringTriggerPrefix + scheduleId;
        return string.IsNullOrEmpty(scheduleGroup) ? new TriggerKey(name) : new TriggerKey(name, scheduleGroup);
    }

    public static DateTime ReadBucket(IJobExecutionContext context) =>
        DateTime.Parse(context.MergedJobDataMap.GetString(BucketKey)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static string KeyOf(DateTime bucket) => bucket.ToString("yyyyMMdd'T'HHmmss.fffffff", CultureInfo.InvariantCulture);

    /// <summary>The bucket's trigger, firing at <paramref name="fireAt"/>; a companion has a <paramref name="name"/> of its own.</summary>
    public static ITrigger BucketTrigger(DateTime bucket, DateTime fireAt, string? name = null) => TriggerBuilder.Create()
        .WithIdentity(new TriggerKey(name ?? KeyOf(bucket), TriggerGroup))
        .ForJob(JobKey)
        .UsingJobData(BucketKey, bucket.ToString("O", CultureInfo.InvariantCulture))
        .StartAt(new DateTimeOffset(fireAt, TimeSpan.Zero))
        // A bucket missed while no scheduler ran (downtime) fires as soon as one runs again.
        .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();
}
