using TaskFlow.Components.Bus;

namespace TaskFlow.Components.Reminders;

public sealed class FiredRemindersDefinition() : BatchConsumerDefinition<FiredReminders>(Queue,
    // Fired reminders recorded per statement.
    batchSize: 100,
    // Nobody waits for the record of a firing: a batch may gather this long.
    gathering: TimeSpan.FromMilliseconds(50),
    // One batch at a time: two batches never wait for each other's row locks, and a burst leaves the cores to what is
    // late if delayed, the scheduler's sends and the notification inbox.
    batchesAtOnce: 1,
    // A batch being recorded while the next one fills.
    inFlight: 2 * 100, prefetch: 2 * 100)
{
    public const string Queue = "taskflow-reminders-fired";
}
