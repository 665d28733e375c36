namespace TaskFlow.Messaging.Specs.Infrastructure;

public static class SpecDatabase
{
    /// <summary>A throw-away database with the messaging tables from migrations/0004_messaging.sql and the specs' own tables.</summary>
    public static Task<TestDatabase> CreateAsync(string purpose, bool migrate = true) =>
        TestDatabase.CreateAsync(purpose, migrate ? PrepareAsync : null);

    public static string MessagingScript()
    {
        using var stream = typeof(SpecDatabase).Assembly.GetManifestResourceStream("0004_messaging.sql")
            ?? throw new InvalidOperationException("migrations/0004_messaging.sql is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task PrepareAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(MessagingScript() + ";\n" + SpecDbContext.NotesTableSql + ";\n" + Ticket.TableSql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
