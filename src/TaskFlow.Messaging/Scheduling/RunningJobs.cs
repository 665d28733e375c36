namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The scheduler's jobs running in this process, so that stopping can wait for their sends while the bus is still
/// up (Quartz itself only waits for its jobs as part of shutting down), and the buckets they are sending, so that a
/// node asked to share a bucket it is already sending does not start on it twice.
/// </summary>
internal sealed class RunningJobs
{
    private readonly Lock gate = new();
    private readonly Dictionary<DateTime, int> buckets = [];
    private int running;
    private TaskCompletionSource? idle;
    private volatile bool firing;

    /// <summary>True while this node's Quartz scheduler fires triggers: from its start until its stop begins.</summary>
    public bool Firing
    {
        get => firing;
        set => firing = value;
    }

    public Scope Enter(DateTime? bucket = null)
    {
        lock (gate)
        {
            running++;
            if (bucket is { } b)
                buckets[b] = buckets.GetValueOrDefault(b) + 1;
        }

        return new Scope(this, bucket);
    }

    /// <summary>Enters for the bucket unless this process is sending it already.</summary>
    public bool TryEnter(DateTime bucket, out Scope scope)
    {
        lock (gate)
        {
            if (buckets.ContainsKey(bucket))
            {
                scope = default;
                return false;
            }

            running++;
            buckets[bucket] = 1;
        }

        scope = new Scope(this, bucket);
        return true;
    }

    /// <summary>Completes once no job is running.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (running == 0)
                return Task.CompletedTask;
            idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void Leave(DateTime? bucket)
    {
        TaskCompletionSource? done = null;
        lock (gate)
        {
            if (bucket is { } b && --buckets[b] == 0)
                buckets.Remove(b);
            if (--running == 0)
                (done, idle) = (idle, null);
        }

        done?.TrySetResult();
    }

    public readonly struct Scope(RunningJobs? jobs, DateTime? bucket) : IDisposable
    {
        public void Dispose() => jobs?.Leave(bucket);
    }
}
