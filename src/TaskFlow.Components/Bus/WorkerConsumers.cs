using MassTransit;
using TaskFlow.Components.Audit;
using TaskFlow.Components.Notifications;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Reminders;

namespace TaskFlow.Components.Bus;

public static class WorkerConsumers
{
    /// <summary>Everything the worker consumes: the audit log, reminders, recurring series and the users' notifications.</summary>
    public static IBusRegistrationConfigurator AddTaskFlowWorkerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddTaskFlowAudit().AddTaskFlowReminders();
        bus.AddConsumer<RecurrenceConsumer, RecurrenceConsumerDefinition>();
        bus.AddConsumer<NotificationStore, NotificationStoreDefinition>();
        return bus;
    }
}
