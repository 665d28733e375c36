namespace TaskFlow.Messaging.Specs.Infrastructure;

public static class SpecDatabase
{
    /// <summary>
    /// A throw-away database with the messaging tables from migrations/0004_messaging.sql (and their later changes in
    /// 0010, 0011 and 0012), the scheduler's (and Quartz's)
    /// from migrations/0005_scheduler.sql (and its tombstones from 0015), and the specs' own table.
    /// </summary>
    public static Task<TestDatabase> CreateAsync(string purpose, bool migrate = true) =>
        TestDatabase.CreateAsync(purpose, migrate ? PrepareAsync : null);

    public static string MessagingScript() => string.Join(";\n",
        new[] { "0004_messaging.sql", "0010_outbox_wake_in_process.sql", "0011_outbox_parking.sql", "0012_unused_messaging_columns.sql" }.Select(Script));

    public static string SchedulerScript() => Script("0005_scheduler.sql") + ";\n" + Script("0015_scheduled_message_tombstone.sql");

    private static string Script(string name)
    {
        using var stream = typeof(SpecDatabase).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"migrations/{name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task PrepareAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            MessagingScript() + ";\n" + SchedulerScript() + ";\n" + SpecDbContext.NotesTableSql + ";\n" + Ticket.TableSql + ";\n" + Alarm.TableSql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
