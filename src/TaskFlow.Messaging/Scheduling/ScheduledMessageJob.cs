using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Fired by a bucket's trigger: sends the messages of that bucket and of every earlier one still waiting. Each pass is
/// one ReadCommitted transaction around the confirmed sends: claim (<c>FOR UPDATE SKIP LOCKED</c>, so the nodes of a
/// cluster never send a row twice), send the due rows concurrently, delete what the broker confirmed, commit. A crash
/// before the commit leaves the rows for the next firing: delivery is at-least-once (the consumers' inbox drops the
/// duplicate, which keeps its MessageId). The job loops until no claimable row is left, and rows that are not due
/// yet (the bucket is wider than one message) are waited for without holding their locks, so they can still be
/// cancelled or moved.
/// </summary>
internal sealed class ScheduledMessageJob<TDbContext>(
    IServiceScopeFactory scopeFactory,
    BucketTriggers triggers,
    ScheduledMessageSender sender,
    TaskFlowSchedulerOptions options,
    TimeProvider clock,
    ILogger<ScheduledMessageJob<TDbContext>> logger) : IJob
    where TDbContext : DbContext
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bucket = BucketTriggers.ReadBucket(context);
        try
        {
            while (true)
            {
                var pass = await SendDueAsync(bucket, cancellationToken);
                if (pass.Failed)
                    break;
                if (!pass.ClaimedAny)
                    return;
                if (pass.NextDue is { } next && next > clock.GetUtcNow().UtcDateTime)
                    await Task.Delay(next - clock.GetUtcNow().UtcDateTime, clock, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Scheduled messages of bucket {Bucket} not all sent; it fires again later", bucket);
        }

        // Whatever is left keeps a trigger: this firing's one-shot trigger is gone once the job returns.
        await triggers.RetryAsync(bucket, CancellationToken.None);
    }

    private async Task<Pass> SendDueAsync(DateTime bucket, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var claimed = await ScheduledMessageStore.ClaimAsync(db, bucket, options.QueryMessageLimit, token);
            var now = clock.GetUtcNow().UtcDateTime;
            var due = claimed.Where(m => m.DueTime <= now).ToList();
            var expired = due.Where(m => m.ExpirationTime < now).ToList();
            foreach (var message in expired)
                logger.LogWarning("Scheduled message {TokenId} for {Destination} dropped: expired", message.TokenId, message.DestinationAddress);
            var toSend = due.Except(expired).ToList();

            // The broker confirms each send; concurrent sends share the channel's confirms.
            var results = await Task.WhenAll(toSend.Select(m => TrySendAsync(m, token)));
            var done = expired.Select(m => m.TokenId).Concat(toSend.Where((_, i) => results[i]).Select(m => m.TokenId)).ToList();
            if (done.Count > 0)
                await db.Set<ScheduledMessage>().Where(m => done.Contains(m.TokenId)).ExecuteDeleteAsync(token);
            await transaction.CommitAsync(token);

            // A full batch may hide due rows behind it: claim again at once rather than waiting for the next due time.
            DateTime? nextDue = claimed.Count == options.QueryMessageLimit || claimed.Count == due.Count
                ? null
                : claimed.Where(m => m.DueTime > now).Min(m => m.DueTime);
            return new Pass(claimed.Count > 0, nextDue, results.Any(r => !r));
        }, cancellationToken);
    }

    private async Task<bool> TrySendAsync(ScheduledMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(message, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Scheduled message {TokenId} not sent to {Destination}; the bucket fires again later",
                message.TokenId, message.DestinationAddress);
            return false;
        }
    }

    private readonly record struct Pass(bool ClaimedAny, DateTime? NextDue, bool Failed);
}
