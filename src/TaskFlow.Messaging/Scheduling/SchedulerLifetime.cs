using Microsoft.Extensions.Hosting;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Runs the scheduler's Quartz instance inside the bus's lifetime rather than beside it. Quartz's own hosted service
/// stops in the host's reverse registration order, which put it before the bus (MassTransit registers its hosted
/// service first): ScheduleMessage consumers still draining then found Quartz shut down and faulted their messages to
/// the <c>_error</c> queue. Here Quartz starts once every hosted service has started (the bus included, so a job
/// can send), stops firing before anything stops, lets the jobs it is running finish while the bus can still send
/// their messages, and shuts down only after the bus has stopped; in between, a draining consumer can still store
/// triggers, as Quartz accepts them in standby.
/// </summary>
internal sealed class SchedulerLifetime(BucketTriggers triggers, RunningJobs jobs) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await (await triggers.SchedulerAsync(cancellationToken)).Start(cancellationToken);
        jobs.Firing = true;
    }

    /// <summary>Other nodes of the cluster take the triggers this one no longer acquires.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        jobs.Firing = false;
        await (await triggers.SchedulerAsync(cancellationToken)).Standby(cancellationToken);
        try
        {
            await jobs.WhenIdleAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: StoppedAsync stops waiting for them too.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Past the host's shutdown timeout a running job is not waited for: its claimed rows go back when the process ends.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) =>
        await (await triggers.SchedulerAsync(CancellationToken.None)).Shutdown(waitForJobsToComplete: !cancellationToken.IsCancellationRequested, CancellationToken.None);
}
