using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Components.Audit;

public static class AuditRegistration
{
    /// <summary>The consumer that writes every task event to the audit log, and the keeper of its month partitions.</summary>
    public static IBusRegistrationConfigurator AddTaskFlowAudit(this IBusRegistrationConfigurator bus)
    {
        bus.AddSingleton<AuditPartitions>();
        bus.AddHostedService(services => services.GetRequiredService<AuditPartitions>());
        bus.AddConsumer<AuditConsumer, AuditConsumerDefinition>();
        return bus;
    }
}
