namespace TaskFlow.Messaging.Scheduling;

/// <summary>Where the scheduler service listens, for MassTransit's <c>AddMessageScheduler</c>/<c>UseMessageScheduler</c>.</summary>
public static class TaskFlowScheduler
{
    public static Uri Address(string queueName = TaskFlowSchedulerOptions.DefaultQueueName) => new($"queue:{queueName}");
}
