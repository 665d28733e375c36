namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// The scheduler's jobs running in this process, so that stopping can wait for their sends while the bus is still
/// up (Quartz itself only waits for its jobs as part of shutting down).
/// </summary>
internal sealed class RunningJobs
{
    private readonly Lock gate = new();
    private int running;
    private TaskCompletionSource? idle;

    public Scope Enter()
    {
        lock (gate)
            running++;
        return new Scope(this);
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

    private void Leave()
    {
        TaskCompletionSource? done = null;
        lock (gate)
        {
            if (--running == 0)
                (done, idle) = (idle, null);
        }

        done?.TrySetResult();
    }

    public readonly struct Scope(RunningJobs jobs) : IDisposable
    {
        public void Dispose() => jobs.Leave();
    }
}
