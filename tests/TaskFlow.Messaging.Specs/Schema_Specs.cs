using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// migrations/0004_messaging.sql (with its later changes, 0010 to 0012) must be exactly what EF Core would create from <c>AddTaskFlowOutboxEntities</c> under the
/// snake_case convention (the application's schema spec compares the whole database the same way).
/// </summary>
public class When_the_messaging_migration_is_applied
{
    private const string ColumnsSql = """
        SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable
               || ' collation=' || coalesce(collation_name, '-') || ' generated=' || coalesce(generation_expression, '-')
               || ' identity=' || is_identity || coalesce(' ' || identity_generation, '')
        FROM information_schema.columns
        WHERE table_schema = 'public'
        ORDER BY 1
        """;

    private const string IndexesSql = """
        SELECT indexname || ': ' || regexp_replace(indexdef, '^.* USING ', '')
        FROM pg_indexes
        WHERE schemaname = 'public' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE 'pk\_%'
        ORDER BY 1
        """;

    [Test]
    public async Task Should_agree_with_the_EF_Core_model()
    {
        await using var migrated = await SpecDatabase.CreateAsync("sql", migrate: false);
        await migrated.ExecuteAsync(SpecDatabase.MessagingScript());
        await using var fromModel = await SpecDatabase.CreateAsync("model", migrate: false);
        var options = new DbContextOptionsBuilder<MessagingOnlyDbContext>().UseNpgsql(fromModel.ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using (var context = new MessagingOnlyDbContext(options))
            await context.Database.EnsureCreatedAsync();

        var migratedColumns = await migrated.ReadStringsAsync(ColumnsSql);
        var migratedIndexes = await migrated.ReadStringsAsync(IndexesSql);

        Assert.That(migratedColumns, Has.Count.EqualTo(38));
        Assert.That(migratedColumns, Is.EqualTo(await fromModel.ReadStringsAsync(ColumnsSql)));
        Assert.That(migratedIndexes, Is.EqualTo(await fromModel.ReadStringsAsync(IndexesSql)));
    }

    [Test]
    public async Task Should_agree_with_the_EF_Core_model_for_the_scheduler_and_hold_Quartz_tables()
    {
        await using var migrated = await SpecDatabase.CreateAsync("sqlsched", migrate: false);
        await migrated.ExecuteAsync(SpecDatabase.SchedulerScript());
        await using var fromModel = await SpecDatabase.CreateAsync("modelsched", migrate: false);
        var options = new DbContextOptionsBuilder<SchedulerOnlyDbContext>().UseNpgsql(fromModel.ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using (var context = new SchedulerOnlyDbContext(options))
            await context.Database.EnsureCreatedAsync();

        // Quartz's own tables come from its embedded create_postgres.sql, not from the EF model.
        const string notQuartz = "table_name NOT LIKE 'qrtz\\_%'";
        var columns = ColumnsSql.Replace("table_schema = 'public'", $"table_schema = 'public' AND {notQuartz}", StringComparison.Ordinal);
        var indexes = IndexesSql.Replace("schemaname = 'public'", $"schemaname = 'public' AND {notQuartz.Replace("table_name", "tablename", StringComparison.Ordinal)}",
            StringComparison.Ordinal);
        var migratedColumns = await migrated.ReadStringsAsync(columns);

        Assert.That(migratedColumns, Has.Count.EqualTo(21));
        Assert.That(migratedColumns, Is.EqualTo(await fromModel.ReadStringsAsync(columns)));
        Assert.That(await migrated.ReadStringsAsync(indexes), Is.EqualTo(await fromModel.ReadStringsAsync(indexes)));
        Assert.That(await migrated.CountAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'qrtz\\_%'"),
            Is.GreaterThanOrEqualTo(11));
    }

    [Test]
    public async Task Should_stamp_a_state_when_its_transaction_commits()
    {
        // The stamp is what orders one key's states; the commit no longer NOTIFYs (that would serialise all commits).
        await using var database = await SpecDatabase.CreateAsync("trigger");
        await database.ExecuteAsync("""
            BEGIN;
            INSERT INTO outbox_state (outbox_id, lock_id, created) VALUES (gen_random_uuid(), gen_random_uuid(), '2000-01-01');
            ROLLBACK;
            BEGIN;
            INSERT INTO outbox_state (outbox_id, lock_id, created) VALUES (gen_random_uuid(), gen_random_uuid(), '2000-01-01');
            COMMIT;
            """);

        Assert.That(await database.CountAsync("SELECT count(*) FROM outbox_state"), Is.EqualTo(1));
        Assert.That(await database.CountAsync("SELECT count(*) FROM outbox_state WHERE created > now() - interval '1 hour'"), Is.EqualTo(1));
        Assert.That(await database.CountAsync("SELECT count(*) FROM pg_proc WHERE proname = 'outbox_state_committed' AND prosrc LIKE '%pg_notify%'"),
            Is.Zero);
    }
}
