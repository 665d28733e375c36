using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaskFlow.Components.Data;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Schema;

/// <summary>
/// The schema is the reviewed SQL in migrations/; EF Core only maps it. Building a second database from the
/// EF model and comparing both catalogues catches any drift in tables, columns, types, nullability,
/// collations, generated columns and indexes.
/// </summary>
public class When_the_migrations_are_applied_to_an_empty_database
{
    private const string ColumnsSql = """
        SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable
               || ' collation=' || coalesce(collation_name, '-') || ' generated=' || coalesce(generation_expression, '-')
        FROM information_schema.columns c
        WHERE table_schema = 'public' AND table_name <> 'schema_versions' AND table_name NOT LIKE 'qrtz\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = c.table_name AND p.relispartition)
        ORDER BY 1
        """;

    // Quartz's qrtz_* tables (migrations/0005) belong to Quartz, not to the EF model.
    // Primary and foreign key names differ by tool. Month partitions are created by the database itself
    // (EF sees one plain table), so only the partitioned parent is compared.
    private const string IndexesSql = """
        SELECT indexname || ': ' || regexp_replace(indexdef, '^.* USING ', '')
        FROM pg_indexes i
        WHERE schemaname = 'public' AND tablename <> 'schema_versions' AND tablename NOT LIKE 'qrtz\_%' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE 'pk\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = i.tablename AND p.relispartition)
        ORDER BY 1
        """;

    [Test]
    public async Task Should_agree_with_the_EF_Core_model()
    {
        await using var fromModel = await TaskFlowDatabase.CreateAsync("model", migrate: false);
        var options = new DbContextOptionsBuilder<TaskFlowDbContext>().UseNpgsql(fromModel.ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using (var context = new TaskFlowDbContext(options))
            await context.Database.EnsureCreatedAsync();

        var migratedColumns = await IntegrationSetup.Database.ReadStringsAsync(ColumnsSql);
        var modelColumns = await fromModel.ReadStringsAsync(ColumnsSql);
        var migratedIndexes = await IntegrationSetup.Database.ReadStringsAsync(IndexesSql);
        var modelIndexes = await fromModel.ReadStringsAsync(IndexesSql);

        Assert.That(migratedColumns, Is.Not.Empty);
        Assert.That(migratedColumns, Is.EqualTo(modelColumns));
        Assert.That(migratedIndexes, Is.EqualTo(modelIndexes));
    }

    [Test]
    public async Task Should_record_every_script_once_and_apply_nothing_the_second_time()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("rerun");

        await new SchemaMigrator(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).MigrateAsync();

        var journal = await database.ReadStringsAsync("SELECT scriptname FROM schema_versions ORDER BY scriptname");
        Assert.That(journal, Is.EqualTo(SchemaMigrator.ScriptNames()));
        Assert.That(journal, Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Should_let_several_hosts_migrate_at_once()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("race", migrate: false);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new SchemaMigrator(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).MigrateAsync()));

        var journal = await database.ReadStringsAsync("SELECT scriptname FROM schema_versions ORDER BY scriptname");
        Assert.That(journal, Is.EqualTo(SchemaMigrator.ScriptNames()));
    }
}
