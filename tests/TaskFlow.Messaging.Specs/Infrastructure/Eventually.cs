namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>Polls a condition until it holds or the deadline passes: the only way these specs wait.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Recorder.Deadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still not true after {timeout ?? Recorder.Deadline}: {what}");
            await Task.Delay(PollInterval);
        }
    }
}
