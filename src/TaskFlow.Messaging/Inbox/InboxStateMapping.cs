using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Inbox;

/// <summary>The consumer inbox's table, mapped with the outbox's by <c>AddTaskFlowOutboxEntities</c> (its messages refer to it).</summary>
internal static class InboxStateMapping
{
    public static ModelBuilder AddInboxState(this ModelBuilder modelBuilder) => modelBuilder.Entity<InboxState>(inbox =>
    {
        inbox.HasKey(i => i.Id);
        inbox.Property(i => i.Id).UseIdentityByDefaultColumn();
        inbox.HasAlternateKey(i => new { i.MessageId, i.ConsumerId });
        inbox.HasIndex(i => i.Delivered);
    });
}
