using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// The scheduler remembers the future buckets whose trigger it stored, so a burst into one second costs one Quartz call.
/// Reminders spread over a year would otherwise make it remember every second of that year.
/// </summary>
public class When_messages_are_scheduled_into_many_distinct_seconds
{
    private static readonly DateTimeOffset Start = new(2131, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Should_remember_a_bounded_number_of_buckets()
    {
        var (triggers, _, scheduler) = await CreateAsync();

        for (var i = 0; i < BucketTriggers.MostRemembered + 2_000; i++)
            await triggers.EnsureAsync(Start.UtcDateTime.AddHours(1).AddSeconds(i), CancellationToken.None);

        Assert.That(triggers.Remembered, Is.LessThanOrEqualTo(BucketTriggers.MostRemembered));
        Assert.That((await scheduler.GetTriggersOfJob(SchedulerJobs.JobKey)).Count,
            Is.EqualTo(BucketTriggers.MostRemembered + 2_000), "every bucket still has its trigger");
    }

    [Test]
    public async Task Should_forget_buckets_once_they_are_past()
    {
        var (triggers, clock, _) = await CreateAsync();
        for (var i = 0; i < 100; i++)
            await triggers.EnsureAsync(Start.UtcDateTime.AddMinutes(1).AddSeconds(i), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(5));
        await triggers.EnsureAsync(Start.UtcDateTime.AddHours(1), CancellationToken.None);

        Assert.That(triggers.Remembered, Is.EqualTo(1));
    }

    private static async Task<(BucketTriggers Triggers, FakeTimeProvider Clock, IScheduler Scheduler)> CreateAsync()
    {
        var name = "buckets-" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection().AddLogging().AddQuartz(name, q =>
        {
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(1);
            q.AddJob<NothingJob>(j => j.WithIdentity(SchedulerJobs.JobKey).StoreDurably());
        }).BuildServiceProvider();
        var options = new TaskFlowSchedulerOptions { SchedulerName = name };
        var scheduler = await services.GetRequiredKeyedService<ISchedulerFactory>(name).GetScheduler();
        var clock = new FakeTimeProvider(Start);
        return (new BucketTriggers(services, options, clock), clock, scheduler);
    }

    private sealed class NothingJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
