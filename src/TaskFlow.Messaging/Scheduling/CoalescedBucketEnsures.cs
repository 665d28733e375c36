namespace TaskFlow.Messaging.Scheduling;

/// <summary>
/// Bucket triggers ensured after transactional schedules commit, coalesced: commits that come while an ensure of their
/// bucket waits to begin share it.
/// </summary>
internal sealed class CoalescedBucketEnsures(BucketTriggers triggers)
{
    private readonly Lock ensuring = new();
    private readonly Dictionary<DateTime, BucketEnsure> ensures = [];

    /// <summary>
    /// An ensure of the bucket that begins after this call, shared by every commit made before it begins: a burst of
    /// steps into a second about to fire (when each ensure reads Quartz's store) costs one ensure per one under way,
    /// not one per step.
    /// </summary>
    public Task EnsureAfterCommitAsync(DateTime bucket)
    {
        lock (ensuring)
        {
            if (!ensures.TryGetValue(bucket, out var state))
                ensures[bucket] = state = new BucketEnsure();
            var previous = state.Running;
            return state.Next ??= Task.Run(() => RunNextAsync(bucket, state, previous));
        }
    }

    private async Task RunNextAsync(DateTime bucket, BucketEnsure state, Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (ensuring)
        {
            // Begun: a commit from now on needs an ensure after this one.
            state.Running = state.Next!;
            state.Next = null;
        }

        try
        {
            await triggers.EnsureAsync(bucket, CancellationToken.None);
        }
        finally
        {
            lock (ensuring)
            {
                if (state.Next is null && ensures.TryGetValue(bucket, out var current) && ReferenceEquals(current, state))
                    ensures.Remove(bucket);
            }
        }
    }

    private sealed class BucketEnsure
    {
        /// <summary>The ensure under way, which may have read Quartz's store before a later commit.</summary>
        public Task Running { get; set; } = Task.CompletedTask;

        /// <summary>The ensure that begins once <see cref="Running"/> has ended.</summary>
        public Task? Next { get; set; }
    }
}
