using System.Data;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Sends committed outbox rows to the broker. Each pass is one ReadCommitted transaction: claim up to
/// <see cref="OutboxDeliveryServiceOptions.QueryMessageLimit"/> states with <c>FOR UPDATE SKIP LOCKED</c> (so any
/// number of instances deliver side by side without sending a row twice), skipping every state that has an older one
/// with the same partition key (per-key FIFO); send their messages (states concurrently, each state's messages in
/// order, every send awaiting the broker's confirm); delete what was sent; commit. A crash between a confirm and the
/// commit sends those messages again with the same MessageId: delivery is at-least-once. A state whose send is refused
/// while the broker is healthy counts an attempt; at <see cref="TaskFlowOutboxOptions{TDbContext}.DeliveryAttemptLimit"/>
/// it is parked, so it no longer holds back the later states of its key (docs/operations.md says how to replay it).
/// </summary>
public sealed class OutboxDeliveryService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);

    /// <summary>Delivery passes one process runs at once; each holds one database connection while it sends.</summary>
    public const int ConcurrentPasses = 4;

    private readonly IBusControl bus;
    private readonly IBusOutboxNotification notification;
    private readonly OutboxDeliveryServiceOptions options;
    private readonly int attemptLimit;
    private readonly IServiceScopeFactory scopeFactory;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Counter<long> delivered;
    private readonly Counter<long> failures;
    private readonly Meter? ownedMeter;
    private readonly OutboxBacklog<TDbContext> backlog;
    private readonly OutboxStateSender sender;

    public OutboxDeliveryService(IBusControl bus, IBusOutboxNotification notification, IOptions<OutboxDeliveryServiceOptions> options,
        IOptions<TaskFlowOutboxOptions<TDbContext>> outboxOptions, IServiceScopeFactory scopeFactory, TimeProvider clock,
        ILogger<OutboxDeliveryService<TDbContext>> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        this.bus = bus;
        this.notification = notification;
        this.options = options.Value;
        attemptLimit = outboxOptions.Value.DeliveryAttemptLimit;
        this.scopeFactory = scopeFactory;
        this.clock = clock;
        this.logger = logger;
        ownedMeter = meterFactory is null ? new Meter(OutboxMetrics.MeterName) : null;
        var meter = meterFactory?.Create(OutboxMetrics.MeterName) ?? ownedMeter!;
        delivered = meter.CreateCounter<long>(OutboxMetrics.Delivered, "{message}", "Outbox messages sent to the broker");
        failures = meter.CreateCounter<long>(OutboxMetrics.DeliveryFailures, "{pass}", "Delivery passes that could not send everything");
        backlog = new OutboxBacklog<TDbContext>(meter, scopeFactory, clock);
        sender = new OutboxStateSender(bus, this.options, clock, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The backlog is worth reading most while the broker is away.
        var readings = Task.Run(() => backlog.KeepFreshAsync(stoppingToken), CancellationToken.None);
        await WaitForBusAsync(MaxBackOff, stoppingToken);
        // Several loops, each waiting for the wake-up: a commit that arrives while a pass waits for the broker's confirms
        // starts a pass of its own (SKIP LOCKED keeps them apart) instead of waiting for that pass to end.
        await Task.WhenAll(Enumerable.Range(0, ConcurrentPasses)
            .Select(_ => Task.Run(() => DeliverLoopAsync(stoppingToken), CancellationToken.None))
            .Append(readings));
    }

    /// <summary>
    /// Passes while one may have left something behind, then waits to be woken. A pass that claimed something is followed
    /// by another of the same loop when a later state of a claimed key was waiting for it, when it left a state unfinished
    /// or claimed a full batch, or when a commit was announced while it ran: that commit's wake-up may have gone to a pass
    /// that found its state behind one this pass held. Otherwise the next pass would find nothing, and cost a transaction.
    /// </summary>
    private async Task DeliverLoopAsync(CancellationToken stoppingToken)
    {
        var backOff = MinBackOff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var announced = Announced();
                var pass = await DeliverAsync(stoppingToken);
                if (pass.Parked)
                    backlog.Changed();
                if (pass.Failed)
                {
                    failures.Add(1);
                    await BackOffAsync(backOff, stoppingToken);
                    backOff = Grow(backOff);
                    continue;
                }

                backOff = MinBackOff;
                if (pass.Claimed == 0 || !pass.LeftSome && announced is not null && Announced() == announced)
                    await notification.WaitForDelivery(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures.Add(1);
                logger.LogError(exception, "Outbox delivery pass failed; retrying in {BackOff}", backOff);
                await Task.Delay(backOff, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backOff = Grow(backOff);
            }
        }
    }

    /// <summary>Commits announced to this process so far; null when the notification in use does not count them.</summary>
    private long? Announced() => (notification as OutboxDeliveryNotification)?.Announced;

    public override void Dispose()
    {
        backlog.Dispose();
        ownedMeter?.Dispose();
        base.Dispose();
    }

    private async Task<Pass> DeliverAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var statements = ModelStatements.For<DeliveryStatements>(db);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(token => DeliverBatchAsync(db, statements, token), stoppingToken);
    }

    /// <summary>
    /// Three round trips whatever the batch: claim the states and load their first messages in one statement; send;
    /// delete (finished states, their messages with them through the foreign key's cascade), record progress and count
    /// failed attempts in one batch; commit.
    /// </summary>
    private async Task<Pass> DeliverBatchAsync(TDbContext db, DeliveryStatements sql, CancellationToken stoppingToken)
    {
        using var limit = new CancellationTokenSource(options.QueryTimeout, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, limit.Token);
        var token = timeout.Token;

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        var claimed = await sql.ClaimAsync(connection, npgsqlTransaction, options.QueryMessageLimit, options.MessageDeliveryLimit, token);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(token);
            return new Pass(0, false, false, false);
        }

        var results = await Task.WhenAll(claimed.Select(state => sender.SendInOrderAsync(state.Messages, token)));

        // What the broker confirmed is recorded whatever is left of the pass's own time: finished under the pass's token, a
        // pass that had run past its timeout while sending rolled back, and the next one sent those messages again.
        using var finishing = new CancellationTokenSource(options.QueryTimeout, clock);
        var failed = new List<FailedState>();
        var finishedCount = 0;
        await using (var batch = new NpgsqlBatch(connection, npgsqlTransaction))
        {
            var finished = new List<Guid>();
            var partial = new List<(Guid Id, long Last, List<long> Done)>();
            for (var i = 0; i < claimed.Count; i++)
            {
                var (state, result) = (claimed[i], results[i]);
                if (!result.Failed && state.Messages.Count < options.MessageDeliveryLimit)
                    finished.Add(state.OutboxId);
                else if (result.Done.Count > 0)
                    partial.Add((state.OutboxId, result.Done.Max(), result.Done));
                if (result.Refusal is { } refusal)
                {
                    // Progress means the refusal is about a message not tried before: its count starts again.
                    var attempts = (result.Done.Count > 0 ? 0 : state.DeliveryAttempts) + 1;
                    failed.Add(new FailedState(state.OutboxId, attempts, refusal, attempts >= attemptLimit));
                }
            }

            finishedCount = finished.Count;
            sql.AddFinish(batch, finished, partial);
            sql.AddFailures(batch, failed, clock.GetUtcNow().UtcDateTime);
            // A full batch means more is waiting: wake the other instances (on commit) so they claim the next batches.
            if (claimed.Count == options.QueryMessageLimit)
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify('{OutboxChannel.Name}', '')"));
            if (batch.BatchCommands.Count > 0)
                await batch.ExecuteNonQueryAsync(finishing.Token);
        }

        await transaction.CommitAsync(finishing.Token);
        delivered.Add(results.Sum(r => r.Sent));
        foreach (var parked in failed.Where(f => f.Park))
            logger.LogError("Outbox state {OutboxId} parked after {Attempts} refused attempts; the later messages of its partition key go on without it. Last error: {Error}",
                parked.OutboxId, parked.Attempts, parked.Error);
        var leftSome = claimed.Count == options.QueryMessageLimit || finishedCount < claimed.Count || claimed.Any(s => s.LaterStateWaits);
        return new Pass(claimed.Count, results.Any(r => r.Failed), failed.Any(f => f.Park), leftSome);
    }

    /// <summary>
    /// A broker that is away: resume as soon as the bus is healthy again, at the latest after the back-off. A healthy bus
    /// that refused a send: the whole back-off, or the same rows would be tried again at once, without end.
    /// </summary>
    private async Task BackOffAsync(TimeSpan backOff, CancellationToken stoppingToken)
    {
        if (bus.CheckHealth().Status == BusHealthStatus.Healthy)
            await Task.Delay(backOff, clock, stoppingToken);
        else
            await WaitForBusAsync(backOff, stoppingToken);
    }

    private async Task WaitForBusAsync(TimeSpan atMost, CancellationToken stoppingToken)
    {
        using var limit = new CancellationTokenSource(atMost, clock);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, limit.Token);
        try
        {
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, wait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Not healthy yet: try anyway; a failed send only leaves the rows for the next pass.
        }
    }

    private static TimeSpan Grow(TimeSpan backOff) => TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));

    private readonly record struct Pass(int Claimed, bool Failed, bool Parked, bool LeftSome);
}
