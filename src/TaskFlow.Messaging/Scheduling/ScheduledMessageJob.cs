using Microsoft.EntityFrameworkCore;
using Quartz;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>A bucket's trigger fired on this node: it sends the bucket (see <see cref="BucketFiring{TDbContext}"/>).</summary>
internal sealed class ScheduledMessageJob<TDbContext>(BucketFiring<TDbContext> firing) : IJob
    where TDbContext : DbContext
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await firing.FireAsync(SchedulerJobs.ReadBucket(context), cancellationToken);
    }
}
