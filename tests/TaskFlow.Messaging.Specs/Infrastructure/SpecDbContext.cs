using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>A stand-in for an application's DbContext: one business table, two saga tables, plus the messaging entities.</summary>
public sealed class SpecDbContext(DbContextOptions<SpecDbContext> options) : DbContext(options)
{
    public const string NotesTableSql = "CREATE TABLE notes (id uuid PRIMARY KEY, text text NOT NULL)";

    public DbSet<Note> Notes => Set<Note>();
    public DbSet<Ticket> Tickets => Set<Ticket>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Note>().ToTable("notes");
        modelBuilder.Entity<Ticket>(ticket =>
        {
            ticket.ToTable("ticket");
            ticket.HasKey(t => t.CorrelationId);
            ticket.Property(t => t.CorrelationId).ValueGeneratedNever();
        });
        modelBuilder.Entity<Alarm>(alarm =>
        {
            alarm.ToTable("alarm");
            alarm.HasKey(a => a.CorrelationId);
            alarm.Property(a => a.CorrelationId).ValueGeneratedNever();
        });
        modelBuilder.AddTaskFlowOutboxEntities();
        modelBuilder.AddTaskFlowSchedulerEntities();
    }
}

public sealed class Note
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>Only the messaging entities, to compare EF's idea of the schema with the reviewed script.</summary>
public sealed class MessagingOnlyDbContext(DbContextOptions<MessagingOnlyDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddTaskFlowOutboxEntities();
}

/// <summary>Only the scheduler's entity, to compare EF's idea of the schema with the reviewed script.</summary>
public sealed class SchedulerOnlyDbContext(DbContextOptions<SchedulerOnlyDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddTaskFlowSchedulerEntities();
}
