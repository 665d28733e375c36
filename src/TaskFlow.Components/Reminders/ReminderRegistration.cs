using MassTransit;
using TaskFlow.Components.Data;
using TaskFlow.Messaging;

namespace TaskFlow.Components.Reminders;

public static class ReminderRegistration
{
    /// <summary>The planner (task events → one command per reminder) and the reminder saga, kept in PostgreSQL.</summary>
    public static IBusRegistrationConfigurator AddTaskFlowReminders(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReminderPlanner, ReminderPlannerDefinition>();
        bus.AddSagaStateMachine<ReminderStateMachine, ReminderState, ReminderStateDefinition>()
            .TaskFlowRepository(r => r.ExistingDbContext<TaskFlowDbContext>());
        return bus;
    }
}
