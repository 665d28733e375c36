namespace TaskFlow.Components.Data;

public static class DatabaseClock
{
    /// <summary>
    /// Now, at PostgreSQL's microsecond precision, so a value answered right after a write is the same
    /// value a later read returns.
    /// </summary>
    public static DateTimeOffset GetUtcNowForStorage(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
