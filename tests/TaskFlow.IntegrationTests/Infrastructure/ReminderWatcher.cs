using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Contracts;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// Someone downstream of the reminders: a bus of its own with a queue bound to taskflow.tasks.reminder-triggered,
/// recording every delivery with the time it arrived. It has no inbox on purpose, so a doubled reminder shows.
/// </summary>
public sealed class ReminderWatcher : IAsyncDisposable
{
    private readonly IHost host;
    private readonly Deliveries deliveries;

    private ReminderWatcher(IHost host)
    {
        this.host = host;
        deliveries = host.Services.GetRequiredService<Deliveries>();
    }

    /// <param name="SentAt">When the scheduler published it (its <c>MT-Quartz-Sent</c> header).</param>
    public sealed record Delivery(Guid? MessageId, ReminderTriggered Reminder, DateTimeOffset SentAt, DateTimeOffset ArrivedAt);

    public IReadOnlyList<Delivery> All => deliveries.Items.ToList();

    public IReadOnlyList<Delivery> Of(Guid taskId) => deliveries.Items.Where(d => d.Reminder.TaskId == taskId).ToList();

    public static async Task<ReminderWatcher> StartAsync(string brokerConnectionString, string queue)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RecordingConsumer>().Endpoint(e => e.Name = queue);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var broker = new Uri(brokerConnectionString);
                rabbit.Host(broker, h =>
                {
                    var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
                    h.Username(credentials[0]);
                    h.Password(credentials[1]);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ReminderWatcher(host);
    }

    /// <summary>Waits until the reminders of <paramref name="taskId"/> arrived <paramref name="count"/> times.</summary>
    public Task<IReadOnlyList<Delivery>> WaitForAsync(Guid taskId, int count, TimeSpan within) =>
        Eventually.MatchesAsync(() => Task.FromResult(Of(taskId)), d => d.Count >= count, within, $"{count} reminder(s) of task {taskId}");

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    private sealed class Deliveries
    {
        public ConcurrentQueue<Delivery> Items { get; } = new();
    }

    private sealed class RecordingConsumer(Deliveries deliveries) : IConsumer<ReminderTriggered>
    {
        public Task Consume(ConsumeContext<ReminderTriggered> context)
        {
            var arrived = DateTimeOffset.UtcNow;
            var sent = context.Headers.Get<DateTimeOffset>(MessageHeaders.Quartz.Sent)
                ?? throw new InvalidOperationException("A ReminderTriggered without the scheduler's sent time");
            deliveries.Items.Enqueue(new Delivery(context.MessageId, context.Message, sent, arrived));
            return Task.CompletedTask;
        }
    }
}
