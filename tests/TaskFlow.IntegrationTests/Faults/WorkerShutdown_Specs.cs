using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskFlow.Contracts;
using TaskFlow.IntegrationTests.Audit;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>Stopping the worker (a deploy, a scale-in) lets the message in hand finish instead of cutting it off.</summary>
[NonParallelizable]
public class When_the_worker_stops_while_a_message_is_in_flight
{
    [Test]
    public async Task Should_finish_it_and_acknowledge_it_before_exiting()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("shutdown");
        await using var broker = await TestVirtualHost.CreateAsync("shutdown");
        var gate = new Gate();
        var worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, bus =>
        {
            bus.AddSingleton(gate);
            bus.AddConsumer<GatedConsumer>().Endpoint(e => e.Name = GatedConsumer.Queue);
        });
        await Eventually.MatchesAsync(() => broker.QueueNamesAsync(), names => names.Contains(GatedConsumer.Queue), what: "the gated queue");

        var message = new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, DateTimeOffset.UtcNow,
            new TaskSnapshot("In flight", null, "none", [], "open", null, [], null, null));
        await broker.PublishRawAsync("taskflow.tasks.created",
            When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(message, nameof(TaskCreated)), "application/vnd.masstransit+json");
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stopping = worker.StopAsync();
        await Eventually.MatchesAsync(() => broker.ConsumerCountAsync(GatedConsumer.Queue), n => n == 0, what: "the worker to stop taking new messages");
        var stoppedWhileHolding = stopping.IsCompleted;
        gate.Release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        worker.Dispose();

        Assert.That(stoppedWhileHolding, Is.False, "the host is still waiting for the message in hand");
        Assert.That(gate.Finished, Is.EqualTo(1));
        Assert.That(await broker.WaitingAsync(GatedConsumer.Queue), Is.Zero, "acknowledged, not left for redelivery");
    }

    public sealed class Gate
    {
        private int finished;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Finished => Volatile.Read(ref finished);

        public void Finish() => Interlocked.Increment(ref finished);
    }

    public sealed class GatedConsumer(Gate gate) : IConsumer<TaskCreated>
    {
        public const string Queue = "taskflow-test-gated";

        public async Task Consume(ConsumeContext<TaskCreated> context)
        {
            gate.Started.TrySetResult();
            // Not the consume token: a graceful stop must let the work finish, not cancel it.
            await gate.Release.Task;
            gate.Finish();
        }
    }
}
