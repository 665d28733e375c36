using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Inbox;
using TaskFlow.Messaging.Storage;

namespace TaskFlow.Messaging.Outbox;

public static class OutboxModelBuilderExtensions
{
    /// <summary>What an application whose model lacks the outbox or inbox tables must do, for the error that says so.</summary>
    internal const string MappingHint = "call modelBuilder.AddTaskFlowOutboxEntities()";

    /// <summary>
    /// Maps <see cref="OutboxMessage"/>, <see cref="OutboxState"/> and <see cref="InboxState"/> (the counterpart of
    /// MassTransit's <c>AddTransactionalOutboxEntities</c>). Table, column and index names follow the context's naming
    /// convention; migrations/0004_messaging.sql is the reviewed SQL for the snake_case one.
    /// </summary>
    public static ModelBuilder AddTaskFlowOutboxEntities(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.AddInboxState();

        modelBuilder.Entity<OutboxState>(state =>
        {
            state.HasKey(s => s.OutboxId);
            state.Property(s => s.OutboxId).ValueGeneratedNever();
            state.Property(s => s.Created).HasDefaultValueSql("clock_timestamp()");
            state.HasIndex(s => s.Created);
            state.HasIndex(s => new { s.PartitionKey, s.Created });
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.HasKey(m => m.SequenceNumber);
            message.Property(m => m.SequenceNumber).UseIdentityByDefaultColumn();
            message.MapEnvelope();
            message.HasIndex(m => m.ExpirationTime);
            message.HasIndex(m => new { m.OutboxId, m.SequenceNumber }).IsUnique();
            // Named explicitly: the conventional name is longer than PostgreSQL's 63-character identifiers.
            message.HasIndex(m => new { m.InboxMessageId, m.InboxConsumerId, m.SequenceNumber }).IsUnique()
                .HasDatabaseName("ix_outbox_message_inbox_id_sequence_number");
            message.HasOne<OutboxState>().WithMany().HasForeignKey(m => m.OutboxId).OnDelete(DeleteBehavior.Cascade);
            message.HasOne<InboxState>().WithMany()
                .HasForeignKey(m => new { m.InboxMessageId, m.InboxConsumerId })
                .HasPrincipalKey(i => new { i.MessageId, i.ConsumerId })
                .OnDelete(DeleteBehavior.Cascade);
        });

        return modelBuilder;
    }
}
