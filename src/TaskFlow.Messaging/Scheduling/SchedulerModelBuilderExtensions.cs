using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Scheduling;

public static class SchedulerModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="ScheduledMessage"/> and <see cref="ScheduledMessageTombstone"/> (the counterpart of
    /// <c>AddTaskFlowOutboxEntities</c> for the message scheduler). migrations/0005_scheduler.sql and
    /// 0015_scheduled_message_tombstone.sql are the reviewed SQL for the snake_case convention; Quartz's own qrtz_*
    /// tables are not part of the model.
    /// </summary>
    public static ModelBuilder AddTaskFlowSchedulerEntities(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ScheduledMessage>(message =>
        {
            message.HasKey(m => m.TokenId);
            message.Property(m => m.TokenId).ValueGeneratedNever();
            message.MapEnvelope();
            message.Property(m => m.DestinationAddress).IsRequired();
            // The bucket job's claim: bucket <= its bucket, in due order.
            message.HasIndex(m => new { m.Bucket, m.DueTime });
        });
        modelBuilder.Entity<ScheduledMessageTombstone>(tombstone =>
        {
            tombstone.HasKey(t => t.TokenId);
            tombstone.Property(t => t.TokenId).ValueGeneratedNever();
            // The sweeper's prune: the oldest first.
            tombstone.HasIndex(t => t.Cancelled);
        });

        return modelBuilder;
    }
}
