using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Components.Data;
using TaskFlow.Messaging.Sagas;

namespace TaskFlow.Components.Reminders;

public static class ReminderRegistration
{
    /// <summary>
    /// The planner (task events → one command per reminder), the reminder saga, kept in PostgreSQL, and the record of
    /// the reminders that went out.
    /// </summary>
    public static IBusRegistrationConfigurator AddTaskFlowReminders(this IBusRegistrationConfigurator bus)
    {
        bus.AddOptions<ReminderOptions>()
            .BindConfiguration(ReminderOptions.Section)
            .Validate(o => o.DiscardedKeptFor > TimeSpan.Zero, "Reminders:DiscardedKeptFor must be positive.")
            .Validate(o => o.RefreshHorizon >= TimeSpan.Zero, "Reminders:RefreshHorizon must not be negative.")
            .ValidateOnStart();
        bus.AddConsumer<ReminderPlanner, ReminderPlannerDefinition>();
        bus.AddSagaStateMachine<ReminderStateMachine, ReminderState, ReminderStateDefinition>()
            .TaskFlowRepository(r => r.ExistingDbContext<TaskFlowDbContext>());
        bus.AddConsumer<FiredReminders, FiredRemindersDefinition>();
        bus.TryAddSingleton<ReminderLateness>();
        return bus;
    }
}
