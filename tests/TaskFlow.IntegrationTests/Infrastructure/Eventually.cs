namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition with a deadline, polling; the way to observe work another process does.</summary>
public static class Eventually
{
    /// <param name="explain">Read only when the wait times out, for a failure message that says more than the last value.</param>
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null, string? what = null,
        Func<Task<string>>? explain = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what ?? "the condition"}; last seen: {value}" + (explain is null ? "" : $"; {await explain()}"));
                return value;
            }
            await Task.Delay(100);
        }
    }
}
