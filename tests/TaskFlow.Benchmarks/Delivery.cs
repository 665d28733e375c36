using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TaskFlow.Benchmarks;

/// <summary>
/// Event delivery at a fixed rate of creates: from the commit to the event on RabbitMQ (a queue of the benchmark's
/// own bound to taskflow.tasks.created), and from the start of the POST to the notification at the owner's
/// SignalR client.
/// </summary>
internal static class Delivery
{
    private const string Scenario = "delivery";
    private const string Prefix = "delivery ";
    private const int Users = 20;
    private const double PublishP99Target = 20;
    private const double PushP50Target = 15;
    private const double PushP99Target = 100;
    private static readonly TimeSpan Straggler = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Bench bench)
    {
        var rate = bench.Options.EventRate;
        var users = await User.SignUpAsync(bench.Http, Users);
        var count = (int)(rate * bench.Options.EventPhase.TotalSeconds);
        var sentAt = new long[count];
        var pushed = new Latencies();
        var published = new Latencies();
        var pushes = 0;
        var warmed = new HashSet<Guid>();

        var listeners = new List<HubConnection>();
        var factory = new ConnectionFactory { Uri = new Uri(bench.System.Broker), ClientProvidedName = "taskflow-benchmark-delivery" };
        await using var broker = await factory.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        try
        {
            foreach (var user in users)
            {
                listeners.Add(await Listener.ConnectAsync(bench.System.Api, user, arrival =>
                {
                    if (arrival.Kind != "task.created")
                        return;
                    if (arrival.Title.StartsWith(Prefix, StringComparison.Ordinal))
                    {
                        pushed.Record(Stopwatch.GetElapsedTime(sentAt[Index(arrival.Title)], arrival.Timestamp));
                        Interlocked.Increment(ref pushes);
                    }
                    else
                        lock (warmed)
                            warmed.Add(user.Id);
                }));
            }

            // The event as the broker hands it to any consumer: MassTransit's envelope, the event under "message".
            var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await channel.QueueBindAsync(queue, "taskflow.tasks.created", "");
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                var at = DateTimeOffset.UtcNow;
                using var envelope = JsonDocument.Parse(delivery.Body);
                var message = envelope.RootElement.GetProperty("message");
                if (message.GetProperty("task").GetProperty("title").GetString()!.StartsWith(Prefix, StringComparison.Ordinal))
                    published.Record(at - message.GetProperty("occurredAt").GetDateTimeOffset());
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

            // Every connection has heard its user's first change before anything is timed: live, and the path warm.
            foreach (var user in users)
                await user.CreateTaskAsync(bench.Http, new { title = "warm-up" });
            if (!await Bench.WaitUntilAsync(() => { lock (warmed) return warmed.Count == users.Length; }, Straggler))
                throw new TimeoutException("not every connection heard its user's first change");

            var step = bench.Step($"Delivery: {count:N0} creates at {rate}/s, each to its owner's browser", 1);
            var answered = await Load.OpenLoopAsync(rate, bench.Options.EventPhase, step, async i =>
            {
                sentAt[i] = Stopwatch.GetTimestamp();
                using var response = await users[i % users.Length].SendAsync(bench.Http, HttpMethod.Post, "api/v1/tasks", new { title = $"{Prefix}{i}" });
                return Load.Classify(response);
            });
            await Bench.WaitUntilAsync(() => Volatile.Read(ref pushes) >= answered.Succeeded && published.Count >= answered.Succeeded, Straggler);

            var push = pushed.Summarize();
            var publish = published.Summarize();
            bench.Report.Add(new Row(Scenario, $"commit → event on RabbitMQ, at {rate}/s (from the event's time, stamped just before the commit, to a consumer of taskflow.tasks.created)",
                string.Create(CultureInfo.InvariantCulture, $"p50 {publish.P50:F1} / p95 {publish.P95:F1} / p99 {publish.P99:F1} / max {publish.Max:F1} ms ({publish.Count:N0} of {answered.Succeeded:N0})"),
                $"p99 < {PublishP99Target:F0} ms", publish.Count == answered.Succeeded && publish.P99 < PublishP99Target));
            bench.Report.Add(new Row(Scenario, $"POST → notification at the owner's SignalR client, at {rate}/s",
                string.Create(CultureInfo.InvariantCulture, $"p50 {push.P50:F1} / p95 {push.P95:F1} / p99 {push.P99:F1} / max {push.Max:F1} ms ({push.Count:N0} of {answered.Succeeded:N0})"),
                $"p50 < {PushP50Target:F0} ms, p99 < {PushP99Target:F0} ms", push.Count == answered.Succeeded && push.P50 < PushP50Target && push.P99 < PushP99Target));
            bench.Report.Add(new Row(Scenario, $"POST answered, at {rate}/s",
                string.Create(CultureInfo.InvariantCulture, $"p50 {answered.Latency.P50:F1} / p99 {answered.Latency.P99:F1} ms{answered.Outcomes()}")));
            bench.Report.Detail(Scenario, "atRate", new { rate, count, answered.Failed, answered.Refused, answeredMs = answered.Latency, commitToBrokerMs = publish, postToClientMs = push });
            step.Description = $"Delivery: POST → client p50 {push.P50:F1} ms, p99 {push.P99:F1} ms";
        }
        finally
        {
            foreach (var listener in listeners)
                await listener.DisposeAsync();
        }
    }

    private static int Index(string title) => int.Parse(title.AsSpan(Prefix.Length), CultureInfo.InvariantCulture);
}
