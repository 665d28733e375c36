using Microsoft.EntityFrameworkCore;

using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Scheduling;

public static class SchedulerModelBuilderExtensions
{
    private const int AddressLength = 256;

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
            message.Property(m => m.DestinationAddress).HasMaxLength(AddressLength);
            message.Property(m => m.ContentType).HasMaxLength(AddressLength);
            message.Property(m => m.SourceAddress).HasMaxLength(AddressLength);
            message.Property(m => m.ResponseAddress).HasMaxLength(AddressLength);
            message.Property(m => m.FaultAddress).HasMaxLength(AddressLength);
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
