using System.Diagnostics;

namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>What a host's consumers received, in the order they received it; waits end on a condition or a deadline.</summary>
public sealed class Recorder
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Lock sync = new();
    private readonly List<Received> items = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Received> Items
    {
        get
        {
            lock (sync)
                return items.ToList();
        }
    }

    public IReadOnlyList<T> Of<T>() => Items.Select(i => i.Message).OfType<T>().ToList();

    public void Add(string consumer, Guid? messageId, object message, bool flag = false)
    {
        TaskCompletionSource signal;
        lock (sync)
        {
            items.Add(new Received(consumer, messageId, message, Stopwatch.GetTimestamp(), flag));
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.SetResult();
    }

    public async Task<IReadOnlyList<Received>> WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Deadline);
        while (true)
        {
            Task next;
            lock (sync)
            {
                if (condition(items))
                    return items.ToList();
                next = changed.Task;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not received within {timeout ?? Deadline}: {what}; received {Items.Count} messages.");
            }
        }
    }
}

public sealed record Received(string Consumer, Guid? MessageId, object Message, long Timestamp, bool Flag);
