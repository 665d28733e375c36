using System.Data;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Sends committed outbox rows to the broker. Each pass is one ReadCommitted transaction: claim up to
/// <see cref="OutboxDeliveryServiceOptions.QueryMessageLimit"/> states with <c>FOR UPDATE SKIP LOCKED</c> (so any
/// number of instances deliver side by side without sending a row twice), skipping every state that has an older one
/// with the same partition key (per-key FIFO); send their messages (states concurrently, each state's messages in
/// order, every send awaiting the broker's confirm); delete what was sent; commit. A crash between a confirm and the
/// commit sends those messages again with the same MessageId: delivery is at-least-once.
/// </summary>
public sealed class OutboxDeliveryService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private static readonly TimeSpan MinBackOff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);

    private readonly IBusControl bus;
    private readonly IBusOutboxNotification notification;
    private readonly OutboxDeliveryServiceOptions options;
    private readonly IServiceScopeFactory scopeFactory;
    private readonly ILogger logger;
    private readonly Counter<long> delivered;
    private readonly Counter<long> failures;
    private readonly Meter? ownedMeter;
    private string? claimStatement;
    private string? loadStatement;

    public OutboxDeliveryService(IBusControl bus, IBusOutboxNotification notification, IOptions<OutboxDeliveryServiceOptions> options,
        IServiceScopeFactory scopeFactory, ILogger<OutboxDeliveryService<TDbContext>> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.bus = bus;
        this.notification = notification;
        this.options = options.Value;
        this.scopeFactory = scopeFactory;
        this.logger = logger;
        ownedMeter = meterFactory is null ? new Meter(OutboxMetrics.MeterName) : null;
        var meter = meterFactory?.Create(OutboxMetrics.MeterName) ?? ownedMeter!;
        delivered = meter.CreateCounter<long>(OutboxMetrics.Delivered, "{message}", "Outbox messages sent to the broker");
        failures = meter.CreateCounter<long>(OutboxMetrics.DeliveryFailures, "{pass}", "Delivery passes that could not send everything");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backOff = MinBackOff;
        await WaitForBusAsync(MaxBackOff, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pass = await DeliverAsync(stoppingToken);
                if (pass.Failed)
                {
                    failures.Add(1);
                    // Broker trouble: resume as soon as the bus is healthy again, at the latest after the back-off.
                    await WaitForBusAsync(backOff, stoppingToken);
                    backOff = Grow(backOff);
                    continue;
                }

                backOff = MinBackOff;
                if (pass.Claimed == 0)
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
                await Task.Delay(backOff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backOff = Grow(backOff);
            }
        }
    }

    public override void Dispose()
    {
        ownedMeter?.Dispose();
        base.Dispose();
    }

    private async Task<Pass> DeliverAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        if (claimStatement is null || loadStatement is null)
        {
            var tables = OutboxTables.For(db);
            claimStatement = BuildClaimStatement(tables.OutboxState);
            loadStatement = BuildLoadStatement(tables.OutboxMessage);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(token => DeliverBatchAsync(db, token), stoppingToken);
    }

    private async Task<Pass> DeliverBatchAsync(TDbContext db, CancellationToken stoppingToken)
    {
        db.ChangeTracker.Clear();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.QueryTimeout);
        var token = timeout.Token;

        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
        var states = await db.Set<OutboxState>().FromSqlRaw(claimStatement!, options.QueryMessageLimit).AsTracking().ToListAsync(token);
        if (states.Count == 0)
        {
            await transaction.CommitAsync(token);
            return new Pass(0, false);
        }

        // A full batch means more is waiting: wake the other instances (on commit) so they claim the next batches.
        if (states.Count == options.QueryMessageLimit)
            await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, '')", [OutboxChannel.Name], token);

        var ids = states.Select(s => s.OutboxId).ToArray();
        var limit = options.MessageDeliveryLimit;
        var messages = (await db.Set<OutboxMessage>().FromSqlRaw(loadStatement!, ids, limit).AsNoTracking().ToListAsync(token))
            .ToLookup(m => m.OutboxId!.Value);

        var results = await Task.WhenAll(states.Select(s => SendInOrderAsync(messages[s.OutboxId].OrderBy(m => m.SequenceNumber).ToList(), token)));

        var done = results.SelectMany(r => r.Done).ToList();
        if (done.Count > 0)
            await db.Set<OutboxMessage>().Where(m => done.Contains(m.SequenceNumber)).ExecuteDeleteAsync(token);
        for (var i = 0; i < states.Count; i++)
        {
            var result = results[i];
            if (!result.Failed && messages[states[i].OutboxId].Count() < limit)
                db.Remove(states[i]);
            else if (result.Done.Count > 0)
            {
                states[i].LastSequenceNumber = result.Done.Max();
                states[i].LockId = NewId.NextGuid();
            }
        }

        await db.SaveChangesAsync(token);
        await transaction.CommitAsync(token);
        delivered.Add(results.Sum(r => r.Sent));
        return new Pass(states.Count, results.Any(r => r.Failed));
    }

    /// <summary>Sends one state's messages in sequence order and stops at the first failure, so none overtakes another.</summary>
    private async Task<StateResult> SendInOrderAsync(List<OutboxMessage> messages, CancellationToken token)
    {
        var done = new List<long>(messages.Count);
        var sent = 0;
        foreach (var message in messages)
        {
            if (message.DestinationAddress is null || message.ExpirationTime < DateTime.UtcNow)
            {
                logger.LogWarning("Outbox message {MessageId} dropped: {Reason}", message.MessageId,
                    message.DestinationAddress is null ? "no destination" : "expired");
                done.Add(message.SequenceNumber);
                continue;
            }

            try
            {
                message.Hydrate(SystemTextJsonMessageSerializer.Instance);
                using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                sendTimeout.CancelAfter(options.MessageDeliveryTimeout);
                var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
                await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), sendTimeout.Token);
                done.Add(message.SequenceNumber);
                sent++;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Outbox message {MessageId} not sent to {Destination}; it stays for the next pass",
                    message.MessageId, message.DestinationAddress);
                return new StateResult(done, sent, true);
            }
        }

        return new StateResult(done, sent, false);
    }

    private async Task WaitForBusAsync(TimeSpan atMost, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(atMost);
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

    /// <summary>
    /// The oldest unlocked states that have no older state with the same partition key. An older state held by another
    /// instance is still visible here, so the newer one waits for it; states without a key never wait.
    /// </summary>
    private static string BuildClaimStatement(OutboxTables.Table<OutboxState> table)
    {
        var id = table.Column(s => s.OutboxId);
        var created = table.Column(s => s.Created);
        var key = table.Column(s => s.PartitionKey);
        return $$"""
            SELECT s.* FROM {{table.Name}} AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM {{table.Name}} AS p
                WHERE p.{{key}} = s.{{key}} AND (p.{{created}}, p.{{id}}) < (s.{{created}}, s.{{id}}))
            ORDER BY s.{{created}}, s.{{id}}
            LIMIT {0}
            FOR UPDATE OF s SKIP LOCKED
            """;
    }

    /// <summary>The first messages of each claimed state, in sequence order, through the (outbox_id, sequence_number) index.</summary>
    private static string BuildLoadStatement(OutboxTables.Table<OutboxMessage> table) => $$"""
        SELECT m.* FROM unnest({0}::uuid[]) AS s(id)
        CROSS JOIN LATERAL (
            SELECT * FROM {{table.Name}} WHERE {{table.Column(m => m.OutboxId)}} = s.id
            ORDER BY {{table.Column(m => m.SequenceNumber)}} LIMIT {1}) AS m
        """;

    private readonly record struct Pass(int Claimed, bool Failed);

    private sealed record StateResult(List<long> Done, int Sent, bool Failed);
}
