using System.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Run when a bucket's trigger fires, <see cref="TaskFlowSchedulerOptions.PrepareAhead"/> before the bucket starts, and
/// on every other node that joins it (<see cref="BucketShareListener{TDbContext}"/>): sends
/// the messages of that bucket and of every earlier one still waiting. Each pass is one ReadCommitted transaction
/// around the confirmed sends: claim (<c>FOR UPDATE SKIP LOCKED</c>, so the nodes of a cluster never send a row
/// twice) what falls due within the prepare window, make it ready, send each at its due time, delete what the broker
/// confirmed, commit. A crash before the commit leaves the rows for the next firing: delivery is at-least-once (the
/// consumers' inbox drops the duplicate, which keeps its MessageId). Several passes claim side by side, so a second
/// holding thousands of messages is ready before it begins; rows due later in a wide bucket are not locked until
/// their own prepare window, so they can still be cancelled or moved.
/// </summary>
internal sealed class BucketFiring<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketTriggers triggers,
    ScheduledMessageSender sender,
    RunningJobs running,
    BucketAnnouncer<TDbContext> announcer,
    TaskFlowSchedulerOptions options,
    TimeProvider clock,
    ILogger<BucketFiring<TDbContext>> logger)
    where TDbContext : DbContext
{
    /// <summary>The bucket's trigger fired on this node.</summary>
    public async Task FireAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        using var _ = running.Enter(bucket);
        await SendBucketAsync(bucket, cancellationToken);
    }

    /// <summary>Another node asked this one to share the bucket: joins unless this node is sending it already.</summary>
    public async Task JoinAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        if (!running.TryEnter(bucket, out var scope))
            return;
        using (scope)
            await SendBucketAsync(bucket, cancellationToken);
    }

    private async Task SendBucketAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        var announced = 0;
        try
        {
            while (true)
            {
                var claims = await Task.WhenAll(Enumerable.Range(0, options.ClaimsPerBucket).Select(_ => ClaimUntilDoneAsync(bucket, Announce, cancellationToken)));
                if (claims.Any(horizon => horizon is null))
                    break;
                // Later rows are looked for past the soonest horizon the claims stopped at, not past now's: a row due
                // between the two (the claim took a while) would otherwise be neither claimed nor waited for, and would
                // wait for the repair sweep.
                if (await NextDueAsync(bucket, claims.Min(horizon => horizon!.Value), cancellationToken) is not { } next)
                    return;
                var wait = next - options.PrepareAhead - Now();
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Scheduled messages of bucket {Bucket} not all sent; it fires again later", bucket);
        }

        // Whatever is left keeps a trigger: this firing's one-shot trigger is gone once the job returns.
        await triggers.RetryAsync(bucket, CancellationToken.None);
        return;

        // More than one claim's worth waits: the other nodes join, once per firing.
        void Announce()
        {
            if (Interlocked.Exchange(ref announced, 1) == 0)
                announcer.Announce(bucket);
        }
    }

    /// <summary>
    /// Passes until one claims nothing, returning the horizon that empty pass claimed up to; null when a send failed.
    /// The last, empty pass is what catches a row committed into this bucket while the others were being sent: its
    /// producer found this firing's trigger still in place and left it, so no other firing would come for it.
    /// </summary>
    private async Task<DateTime?> ClaimUntilDoneAsync(DateTime bucket, Action fullClaim, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pass = await SendDueAsync(bucket, fullClaim, cancellationToken);
            if (pass.Failed)
                return null;
            if (pass.Claimed == 0)
                return pass.Horizon;
        }
    }

    private async Task<Pass> SendDueAsync(DateTime bucket, Action fullClaim, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var horizon = Now() + options.PrepareAhead;
            var claimed = await ScheduledMessageStore.ClaimAsync(db, bucket, horizon, options.QueryMessageLimit, token);
            if (claimed.Count == 0)
                return new Pass(0, false, horizon);
            if (claimed.Count == options.QueryMessageLimit)
                fullClaim();

            // Sent at its due time, or now when that has passed (a bucket fired late): expired if it would arrive after that.
            var now = Now();
            var expired = claimed.Where(m => m.ExpirationTime < (m.DueTime > now ? m.DueTime : now)).ToList();
            foreach (var message in expired)
                logger.LogWarning("Scheduled message {TokenId} for {Destination} dropped: expired", message.TokenId, message.DestinationAddress);
            var toSend = claimed.Except(expired).ToList();
            var endpoints = new ISendEndpoint[toSend.Count];
            for (var i = 0; i < toSend.Count; i++)
                endpoints[i] = await sender.PrepareAsync(toSend[i]);

            // Claimed soonest first: each waits for its own due time, the ones after it for theirs.
            var sends = new Task<bool>[toSend.Count];
            for (var i = 0; i < toSend.Count; i++)
            {
                await WaitUntilAsync(toSend[i].DueTime, token);
                sends[i] = TrySendAsync(toSend[i], endpoints[i], token);
            }

            var results = await Task.WhenAll(sends);
            var done = expired.Select(m => m.TokenId).Concat(toSend.Where((_, i) => results[i]).Select(m => m.TokenId)).ToList();
            if (done.Count > 0)
                await db.Set<ScheduledMessage>().Where(m => done.Contains(m.TokenId)).ExecuteDeleteAsync(token);
            await transaction.CommitAsync(token);
            return new Pass(claimed.Count, results.Any(r => !r), horizon);
        }, cancellationToken);
    }

    private async Task<DateTime?> NextDueAsync(DateTime bucket, DateTime horizon, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await ScheduledMessageStore.NextDueAsync(db, bucket, horizon, cancellationToken);
    }

    private async Task<bool> TrySendAsync(ScheduledMessage message, ISendEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(message, endpoint, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Scheduled message {TokenId} not sent to {Destination}; the bucket fires again later",
                message.TokenId, message.DestinationAddress);
            return false;
        }
    }

    /// <summary>Timers round to whole milliseconds and may wake a fraction early: never send before the due time.</summary>
    private async Task WaitUntilAsync(DateTime dueTime, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        while ((wait = dueTime - Now()) > TimeSpan.Zero)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), clock, cancellationToken);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private readonly record struct Pass(int Claimed, bool Failed, DateTime Horizon);
}
