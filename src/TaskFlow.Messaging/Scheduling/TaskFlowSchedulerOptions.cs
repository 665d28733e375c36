namespace TaskFlow.Messaging.Scheduling;

/// <summary>The message scheduler service: where it listens, how it groups due times, and its Quartz scheduler.</summary>
public sealed class TaskFlowSchedulerOptions
{
    public const string DefaultQueueName = "taskflow-scheduler";

    /// <summary>The queue the <c>ScheduleMessage</c>/<c>CancelScheduledMessage</c> consumers listen on (default "taskflow-scheduler").</summary>
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>
    /// Due times are grouped into buckets of this size, one Quartz trigger per bucket that holds messages (default 1 s).
    /// Larger buckets mean fewer triggers; the job still waits for each message's own due time.
    /// </summary>
    public TimeSpan BucketSize { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The Quartz scheduler name, the SCHED_NAME of its rows: every process with the same name and database forms one
    /// cluster (default "taskflow").
    /// </summary>
    public string SchedulerName { get; set; } = "taskflow";

    /// <summary>
    /// The Quartz job store's connection string, used as it is; null takes the DbContext's own with a pool of
    /// <see cref="StoreMaxPoolSize"/> connections.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Connections the Quartz store opens at most when it takes the DbContext's connection string: one per firing
    /// thread and a few for Quartz itself (acquisition, cluster check-in, misfires) and for storing triggers. A pool
    /// as large as the application's would count the scheduler twice against PostgreSQL's max_connections.
    /// </summary>
    public int StoreMaxPoolSize => MaxConcurrency + 8;

    /// <summary>Quartz threads, i.e. buckets sent at the same time by this process (default 4).</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Rows claimed (and then sent) per transaction (default 500). A node holds at most
    /// <see cref="ClaimsPerBucket"/> × this many rows of a second at once, claimed before the second begins; the rest
    /// is claimed as those are sent, by this node and by the others that join it (a full claim is what asks them), so
    /// a second of 10,000 is split between the nodes rather than claimed whole by the first.
    /// </summary>
    public int QueryMessageLimit { get; set; } = 500;

    /// <summary>
    /// Transactions that claim and send one bucket side by side on each node (default 4): while some send, the others
    /// delete what was confirmed and claim the next rows.
    /// </summary>
    public int ClaimsPerBucket { get; set; } = 4;

    /// <summary>Sends awaiting the broker's confirm at any one time, across all buckets (default 60).</summary>
    public int SendWindow { get; set; } = 60;

    /// <summary>
    /// How long before its due time a message is claimed and made ready to send (default 1 s), so that sending is
    /// all that is left at that time. A cancel that arrives within this window waits for the claim and finds the
    /// message already sent, as with MassTransit's Quartz scheduler once a trigger has been acquired.
    /// </summary>
    public TimeSpan PrepareAhead { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one send may wait for the broker's confirm (default 10 seconds).</summary>
    public TimeSpan MessageDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a failed send the bucket fires again this much later (default 5 seconds).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How late a bucket's trigger may fire before Quartz treats it as misfired (it then fires at once); null keeps
    /// Quartz's default of one minute. Only changes when the misfire scan, rather than normal acquisition, picks it up.
    /// </summary>
    public TimeSpan? MisfireThreshold { get; set; }

    /// <summary>How often the repair sweep looks for overdue messages whose trigger was lost (default 5 seconds).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How late a stored message must be before the sweep fires its bucket again (default 5 seconds).</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a cancelled token is remembered (default 7 days): a ScheduleMessage under it that arrives within this
    /// time (redelivered after the cancel, retried by its sender, held in the queue while no scheduler ran) is not
    /// stored. The sweep forgets older ones.
    /// </summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether consumers behind the TaskFlow inbox of the scheduler's DbContext, in this process, schedule and cancel
    /// in their own transaction (a <c>scheduled_message</c> row, no ScheduleMessage on the queue) rather than through
    /// the scheduler queue (default true).
    /// </summary>
    public bool InboxScheduling { get; set; } = true;

    /// <summary>
    /// ScheduleMessage/Cancel messages the scheduler endpoint holds at once, one per token partition (default 64);
    /// ScheduleMessages are stored in batches of up to half as many, two batches at a time.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 64;

    /// <summary>
    /// How long a batch of ScheduleMessages waits for more after its first (default 50 ms): what a schedule for now
    /// may wait at most, against a transaction per handful of messages rather than per one or two at a steady rate.
    /// </summary>
    public TimeSpan Gathering { get; set; } = TimeSpan.FromMilliseconds(50);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(QueueName);
        ArgumentException.ThrowIfNullOrWhiteSpace(SchedulerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(BucketSize, TimeSpan.FromMilliseconds(100), nameof(BucketSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueryMessageLimit, 1, nameof(QueryMessageLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClaimsPerBucket, 1, nameof(ClaimsPerBucket));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendWindow, 1, nameof(SendWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(PrepareAhead, TimeSpan.Zero, nameof(PrepareAhead));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConcurrentMessageLimit, 2, nameof(ConcurrentMessageLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Gathering, TimeSpan.Zero, nameof(Gathering));
        ArgumentOutOfRangeException.ThrowIfLessThan(SweepInterval, TimeSpan.FromMilliseconds(100), nameof(SweepInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TombstoneRetention, TimeSpan.Zero, nameof(TombstoneRetention));
    }
}
