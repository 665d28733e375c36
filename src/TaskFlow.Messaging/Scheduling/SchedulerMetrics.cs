using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Messaging.Scheduling;

/// <summary>The scheduler's instruments (System.Diagnostics.Metrics), on <see cref="OutboxMetrics.MeterName"/>.</summary>
public static class SchedulerMetrics
{
    /// <summary>Counter: messages stored to be sent later (<c>ScheduleMessage</c> consumed; a reschedule counts again).</summary>
    public const string Scheduled = "taskflow.scheduler.scheduled";

    /// <summary>Counter: scheduled messages sent to the broker (confirmed).</summary>
    public const string Sent = "taskflow.scheduler.sent";
}
