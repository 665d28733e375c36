using MassTransit;
using TaskFlow.Components.Audit;
using TaskFlow.Components.Data;
using TaskFlow.Components.Notifications;
using TaskFlow.Components.Reminders;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;

namespace TaskFlow.Components.Bus;

/// <summary>What every receive endpoint of a TaskFlow host gets: its retries, the consumer inbox where it needs one, its queue type.</summary>
public static class EndpointPolicies
{
    public static void UseTaskFlowEndpointPolicies(
        this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, string name, bool quorum)
    {
        // Two retry filters that never handle the same failure: MassTransit's outer retry filter gives up on a
        // failure an inner one has handled, so nesting policies over the same exceptions retries only as often
        // as the innermost. PostgreSQL away (restarting, failing over) is waited out for about a minute before
        // a message counts as failed; anything else is tried again after growing pauses, each try in a fresh
        // inbox transaction, and then moved to the _error queue.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(DatabaseOutage.Caused);
            retry.Intervals(DatabaseOutage.Pauses);
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<Exception>(DatabaseOutage.Caused);
            retry.Incremental(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        });
        if (NeedsInbox(name))
            endpoint.UseTaskFlowOutbox<TaskFlowDbContext>(context);
        endpoint.UseQuorumQueue(name, quorum);
    }

    /// <summary>
    /// The scheduler stores each message idempotently by its token in its own statement: an inbox would only add three
    /// transactions per message to the busiest queue of a reminder burst. A live push writes nothing to the database, and
    /// the notification store and the audit log store a batch of events idempotently by their ids in one transaction: the
    /// inbox's transactions would only slow them down. The reminder planner records its plans idempotently by task version
    /// and sends after its commit, and fired reminders are recorded by one idempotent statement a batch (ADR 0007).
    /// </summary>
    private static bool NeedsInbox(string name) =>
        name != TaskFlowSchedulerOptions.DefaultQueueName && name != NotificationStoreDefinition.Queue && name != AuditConsumerDefinition.Queue
        && name != ReminderPlannerDefinition.Queue && name != FiredRemindersDefinition.Queue
        && !name.StartsWith(BusExtensions.LiveQueuePrefix, StringComparison.Ordinal);
}
