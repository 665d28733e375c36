using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>A message sent through the scheduler; <see cref="Token"/> is its scheduling token (see <see cref="SchedulerSpecs"/>).</summary>
public sealed record Reminder(Guid Token, string Label);

/// <summary>Asks a consumer to schedule a reminder from inside its consume context.</summary>
public sealed record ScheduleReminder(Guid Token, string Label, DateTime At);

/// <summary>What the reminder consumer saw: the message, its scheduling headers and when it arrived.</summary>
public sealed record Arrival(Reminder Reminder, string? TokenHeader, string? OriginHeader, DateTime ReceivedUtc, DateTime? SentUtc);

public sealed class ReminderConsumer(Recorder recorder) : IConsumer<Reminder>
{
    public Task Consume(ConsumeContext<Reminder> context)
    {
        recorder.Add(nameof(ReminderConsumer), context.MessageId, new Arrival(context.Message,
            context.Headers.Get<string>(MessageHeaders.SchedulingTokenId), context.Headers.Get<string>(SchedulerSpecs.OriginHeader), DateTime.UtcNow,
            context.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent)?.UtcDateTime));
        return Task.CompletedTask;
    }
}

public sealed class ReminderRequestConsumer : IConsumer<ScheduleReminder>
{
    public Task Consume(ConsumeContext<ScheduleReminder> context) =>
        context.ScheduleSend(SchedulerSpecs.Reminders, context.Message.At, new Reminder(context.Message.Token, context.Message.Label),
            Pipe.Execute<SendContext<Reminder>>(send => send.Headers.Set(SchedulerSpecs.OriginHeader, "consumer")));
}

public static class SchedulerSpecs
{
    public const string OriginHeader = "X-Origin";
    public static readonly Uri Reminders = new("queue:reminders");

    /// <summary>MassTransit takes a message type's scheduling token from the message when told how (else a new one each time).</summary>
    public static void UseReminderTokens() => ScheduleTokenId.UseTokenId<Reminder>(r => r.Token);

    /// <summary>A host that runs the scheduler service, schedules through it and consumes reminders.</summary>
    public static Task<SpecHost> StartSchedulerHostAsync(this SpecEnvironment environment, Action<TaskFlowSchedulerOptions>? configure = null,
        Action<IServiceCollection>? services = null) =>
        environment.StartHostAsync(x =>
        {
            services?.Invoke(x);
            x.AddTaskFlowMessageScheduler<SpecDbContext>(configure);
            x.AddMessageScheduler(TaskFlowScheduler.Address());
            x.AddConsumer<ReminderConsumer>().Endpoint(e =>
            {
                e.Name = "reminders";
                // Arrival times should show when the scheduler sent, not how fast one consumer keeps up with a burst.
                e.PrefetchCount = 1000;
            });
            x.AddConsumer<ReminderRequestConsumer>().Endpoint(e => e.Name = "reminder-requests");
        }, (context, cfg) => cfg.UseMessageScheduler(TaskFlowScheduler.Address()));

    /// <summary>Schedules through MassTransit's own <see cref="IMessageScheduler"/>, as application code would.</summary>
    public static Task<ScheduledMessage<Reminder>> ScheduleAsync(this SpecHost host, Reminder reminder, DateTime at, string origin = "scheduler") =>
        host.Services.GetRequiredService<IMessageScheduler>().ScheduleSend(Reminders, at, reminder,
            Pipe.Execute<SendContext<Reminder>>(send => send.Headers.Set(OriginHeader, origin)));

    public static IReadOnlyList<Arrival> Arrivals(this SpecHost host) => host.Recorder.Of<Arrival>().Where(a => a.Reminder.Label != MarkerLabel).ToList();

    /// <summary>
    /// Schedules a marker for now and waits until one of the hosts received it: whatever the scheduler sent before it
    /// (a duplicate included) has had its chance to arrive.
    /// </summary>
    public static async Task AwaitMarkerAsync(this SpecHost host, params SpecHost[] others)
    {
        var marker = new Reminder(Guid.NewGuid(), MarkerLabel);
        await host.ScheduleAsync(marker, DateTime.UtcNow);
        await Eventually.HoldsAsync(() => Task.FromResult(others.Append(host).Any(h => h.Recorder.Of<Arrival>().Any(a => a.Reminder == marker))),
            "the marker");
    }

    private const string MarkerLabel = "marker";
}
