using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;
using TaskFlow.Components.Accounts;
using TaskFlow.Components.Audit;
using TaskFlow.Components.Notifications;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Reminders;
using TaskFlow.Components.Tasks;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Components.Data;

/// <summary>
/// The model mirrors the reviewed SQL in migrations/; EF never creates or alters the schema
/// (a test proves the two agree).
/// </summary>
public sealed class TaskFlowDbContext(DbContextOptions<TaskFlowDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ReminderState> Reminders => Set<ReminderState>();
    public DbSet<ReminderPlan> ReminderPlans => Set<ReminderPlan>();
    public DbSet<TaskSeries> Series => Set<TaskSeries>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationPreferences> NotificationPreferences => Set<NotificationPreferences>();

    /// <summary>The full-text vector over title and description, kept by PostgreSQL.</summary>
    public const string SearchColumn = "Search";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(ConfigureUser);
        modelBuilder.Entity<TaskItem>(ConfigureTask);
        modelBuilder.Entity<AuditEntry>(ConfigureAudit);
        modelBuilder.Entity<ReminderState>(ConfigureReminder);
        modelBuilder.Entity<TaskSeries>(ConfigureSeries);
        modelBuilder.Entity<Notification>(notification =>
        {
            notification.ToTable("notifications");
            notification.Property(n => n.Id).UseIdentityAlwaysColumn();
            notification.Property(n => n.StoredAt).HasDefaultValueSql("now()");
            notification.HasIndex(n => n.EventId).IsUnique().HasDatabaseName("ux_notifications_event");
            notification.HasOne<User>().WithMany().HasForeignKey(n => n.OwnerId).OnDelete(DeleteBehavior.Cascade);
            notification.HasIndex(n => new { n.OwnerId, n.Id }, "ix_notifications_owner").HasDatabaseName("ix_notifications_owner");
            // The origin rides along, so a window's unread count (ChangeOrigin) is still read from the index alone.
            notification.HasIndex(n => new { n.OwnerId, n.Id }, "ix_notifications_owner_unread").HasDatabaseName("ix_notifications_owner_unread")
                .HasFilter("read_at IS NULL").IncludeProperties(n => n.Origin);
        });
        modelBuilder.Entity<NotificationPreferences>(preferences =>
        {
            preferences.ToTable("notification_preferences");
            preferences.HasKey(p => p.OwnerId);
            preferences.HasOne<User>().WithOne().HasForeignKey<NotificationPreferences>(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ReminderPlan>(plan =>
        {
            plan.ToTable("reminder_plan");
            plan.HasKey(p => p.TaskId);
        });
        modelBuilder.AddTaskFlowOutboxEntities();
        modelBuilder.AddTaskFlowSchedulerEntities();
    }

    /// <summary>Partitioned by month and append-only in the database (migrations/0003); EF only reads it.</summary>
    private static void ConfigureAudit(EntityTypeBuilder<AuditEntry> audit)
    {
        audit.ToTable("audit_log");
        audit.HasKey(a => new { a.EventId, a.OccurredAt });
        audit.Property(a => a.RecordedAt).HasDefaultValueSql("now()");
        audit.HasIndex(a => new { a.OwnerId, a.OccurredAt, a.EventId }).HasDatabaseName("ix_audit_log_owner");
        audit.HasIndex(a => new { a.TaskId, a.TaskVersion, a.OccurredAt }).HasDatabaseName("ix_audit_log_task");
    }

    private static void ConfigureReminder(EntityTypeBuilder<ReminderState> reminder)
    {
        reminder.ToTable("reminder_state");
        reminder.HasKey(r => r.CorrelationId);
        reminder.Property(r => r.CorrelationId).ValueGeneratedNever();
        reminder.Property(r => r.Offset).HasColumnName("reminder_offset");
        reminder.HasIndex(r => r.TaskId).HasDatabaseName("ix_reminder_state_task");
    }

    private static void ConfigureSeries(EntityTypeBuilder<TaskSeries> series)
    {
        series.ToTable("task_series");
        series.Ignore(s => s.Start);
        series.Property(s => s.Id).ValueGeneratedNever();
        series.Property(s => s.Mode).HasConversion(
            m => m == RecurrenceMode.Completion ? "completion" : "schedule",
            m => m == "completion" ? RecurrenceMode.Completion : RecurrenceMode.Schedule);
        series.Property(s => s.Status).HasConversion(
            s => s.ToString().ToLowerInvariant(),
            s => s == "stopped" ? SeriesStatus.Stopped : s == "ended" ? SeriesStatus.Ended : SeriesStatus.Active);
        series.Property(s => s.Priority).HasConversion<short>();
        series.Property(s => s.StartLocal).HasColumnType("timestamp");
        series.Property(s => s.LastSlot).HasColumnType("timestamp");
        series.Property(s => s.NextSlot).HasColumnType("timestamp");
        series.Property(s => s.Version).IsConcurrencyToken();
        series.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        series.HasIndex(s => s.OwnerId).HasDatabaseName("ix_task_series_owner");
    }

    private static void ConfigureUser(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("ux_users_normalized_email");
    }

    private static void ConfigureTask(EntityTypeBuilder<TaskItem> task)
    {
        task.ToTable("tasks");
        task.Ignore(t => t.Due);
        task.Property(t => t.Title).UseCollation("und-x-icu");
        task.Property(t => t.Priority).HasConversion<short>();
        task.Property(t => t.Status).HasConversion(
            s => s == TaskItemStatus.Completed ? "completed" : "open",
            s => s == "completed" ? TaskItemStatus.Completed : TaskItemStatus.Open);
        task.Property(t => t.DueLocal).HasColumnType("timestamp");
        task.Property(t => t.SeriesSlot).HasColumnType("timestamp");
        task.HasOne<TaskSeries>().WithMany().HasForeignKey(t => t.SeriesId).OnDelete(DeleteBehavior.NoAction);
        task.HasIndex(t => new { t.SeriesId, t.SeriesSlot }).IsUnique().HasDatabaseName("ux_tasks_series_slot");
        task.Property(t => t.Version).IsConcurrencyToken();
        task.Property(t => t.DueSort)
            .HasComputedColumnSql("coalesce(due_at, 'infinity'::timestamptz)", stored: true);
        // A shadow property: searched in SQL, never loaded into memory.
        task.Property<NpgsqlTsVector>(SearchColumn)
            .IsRequired()
            .HasComputedColumnSql("to_tsvector('english'::regconfig, title || ' ' || coalesce(description, ''))", stored: true);
        task.HasOne<User>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);

        task.HasIndex(t => new { t.OwnerId, t.DueSort, t.Id }).HasDatabaseName("ix_tasks_owner_due");
        task.HasIndex(t => new { t.OwnerId, t.CreatedAt, t.Id }).HasDatabaseName("ix_tasks_owner_created");
        task.HasIndex(t => new { t.OwnerId, t.Priority, t.Id }).HasDatabaseName("ix_tasks_owner_priority");
        task.HasIndex(t => new { t.OwnerId, t.Title, t.Id }).HasDatabaseName("ix_tasks_owner_title");
        task.HasIndex(SearchColumn).HasMethod("gin").HasDatabaseName("ix_tasks_search");
        task.HasIndex(t => t.Tags).HasMethod("gin").HasDatabaseName("ix_tasks_tags");
    }
}
