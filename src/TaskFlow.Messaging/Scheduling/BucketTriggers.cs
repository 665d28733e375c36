using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// One durable Quartz trigger per due-time bucket that holds messages. The trigger is ensured only after the row has
/// committed, so whichever firing follows the commit finds the row. A bucket too far ahead to have begun firing has
/// its trigger stored once (TriggerConflict.Keep keeps a pending one). For a bucket that may be firing already, a
/// firing that has not begun is enough; otherwise a one-off companion under a key of its own fires at once, since a
/// firing under way may be past its last look at the table.
/// </summary>
internal sealed class BucketTriggers(IServiceProvider services, TaskFlowSchedulerOptions options, TimeProvider clock) : IDisposable
{
    /// <summary>
    /// A bucket ensured by this process whose start is further away than this, beyond the job's own
    /// <see cref="TaskFlowSchedulerOptions.PrepareAhead"/>, cannot have begun firing (Quartz fires at most its
    /// fire-ahead window early; the rest is clock skew between nodes), so its trigger need not be touched again. This
    /// is what makes a burst into one future second cost one Quartz call instead of one per message.
    /// </summary>
    private static readonly TimeSpan FiringSlack = TimeSpan.FromSeconds(5);

    /// <summary>How long this process remembers the companion it stored for a bucket, to look at it before storing another.</summary>
    private static readonly TimeSpan CompanionMemory = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Future buckets this process remembers having stored, at most: reminders spread over a year would otherwise have it
    /// remember every second of that year. A bucket forgotten costs one Quartz call that keeps the trigger stored.
    /// </summary>
    internal const int MostRemembered = 10_000;

    /// <summary>Soonest first, so the past ones leave from the front and, past the bound, the furthest from the back.</summary>
    private readonly SortedSet<DateTime> ensured = [];
    private readonly Lock ensuredSync = new();
    private readonly ConcurrentDictionary<DateTime, (TriggerKey Key, DateTime Stored)> companions = new();
    private readonly TimeSpan safeAhead = FiringSlack + options.PrepareAhead;

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
        if (bucket - now > safeAhead && Remembers(bucket))
            return;

        var quartz = await SchedulerAsync(cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            now = clock.GetUtcNow().UtcDateTime;
            if (bucket - now <= safeAhead)
                await EnsureFiringAsync(quartz, bucket, now, cancellationToken);
            else if (!Remembers(bucket))
            {
                await quartz.ScheduleTrigger(SchedulerJobs.BucketTrigger(bucket, bucket - options.PrepareAhead), TriggerConflict.Keep, cancellationToken);
                Remember(bucket);
            }

            Forget(now);
            foreach (var (old, _) in companions.Where(c => c.Value.Stored < now - CompanionMemory))
                companions.TryRemove(old, out _);
        }
        finally
        {
            gate.Release();
        }
    }

    internal int Remembered
    {
        get
        {
            lock (ensuredSync)
                return ensured.Count;
        }
    }

    private bool Remembers(DateTime bucket)
    {
        lock (ensuredSync)
            return ensured.Contains(bucket);
    }

    private void Remember(DateTime bucket)
    {
        lock (ensuredSync)
        {
            ensured.Add(bucket);
            // The furthest is forgotten first: its second is the last to see another message.
            if (ensured.Count > MostRemembered)
                ensured.Remove(ensured.Max);
        }
    }

    private void Forget(DateTime now)
    {
        lock (ensuredSync)
        {
            while (ensured.Count > 0 && ensured.Min < now)
                ensured.Remove(ensured.Min);
        }
    }

    /// <summary>
    /// A bucket that may be firing already. A firing that has not begun, and comes no later than the bucket's own
    /// time (or now, for a bucket past it), claims the row committed before this call: nothing is written. Otherwise
    /// a companion fires now. Reads first because writes are what contend in Quartz's store (storing a key while a
    /// finished firing removes it deadlocks, and each deadlock holds the store's lock for a second or more), so a
    /// burst into a due second costs one write per firing instead of one per message.
    /// </summary>
    private async Task EnsureFiringAsync(IScheduler quartz, DateTime bucket, DateTime now, CancellationToken cancellationToken)
    {
        var firingTime = bucket - options.PrepareAhead;
        var by = firingTime > now ? firingTime : now;
        if (companions.TryGetValue(bucket, out var companion) && await FiresByAsync(quartz, companion.Key, by, cancellationToken))
            return;
        var main = await quartz.GetTrigger(new TriggerKey(SchedulerJobs.KeyOf(bucket), SchedulerJobs.TriggerGroup), cancellationToken);
        if (main is not null && FiresBy(main, by))
            return;
        if (main is null && firingTime > now)
        {
            await quartz.ScheduleTrigger(SchedulerJobs.BucketTrigger(bucket, firingTime), TriggerConflict.Keep, cancellationToken);
            return;
        }

        companions[bucket] = (await ScheduleCompanionAsync(quartz, bucket, now, cancellationToken), now);
    }

    private static async Task<bool> FiresByAsync(IScheduler quartz, TriggerKey key, DateTime by, CancellationToken cancellationToken) =>
        await quartz.GetTrigger(key, cancellationToken) is { } trigger && FiresBy(trigger, by);

    /// <summary>A one-shot trigger whose firing has begun has no next fire time (some stores read it back as the minimum).</summary>
    private static bool FiresBy(ITrigger trigger, DateTime by) =>
        trigger.NextFireTimeUtc is { } next && next > DateTimeOffset.MinValue && next.UtcDateTime <= by;

    /// <summary>The bucket fires once more, now, beside whatever trigger it has (the repair sweep's way in).</summary>
    public async Task FireAgainAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        var quartz = await SchedulerAsync(cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ScheduleCompanionAsync(quartz, bucket, clock.GetUtcNow().UtcDateTime, cancellationToken);
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
            await quartz.ScheduleTrigger(SchedulerJobs.BucketTrigger(bucket, at), TriggerConflict.KeepEarlier, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A one-off trigger of its own that fires the bucket at <paramref name="now"/>, beside its usual one.</summary>
    private static async Task<TriggerKey> ScheduleCompanionAsync(IScheduler quartz, DateTime bucket, DateTime now, CancellationToken cancellationToken)
    {
        var trigger = SchedulerJobs.BucketTrigger(bucket, now, $"{SchedulerJobs.KeyOf(bucket)}.{Guid.NewGuid():N}");
        await quartz.ScheduleTrigger(trigger, TriggerConflict.Keep, cancellationToken);
        return trigger.Key;
    }

    public void Dispose() => gate.Dispose();
}
