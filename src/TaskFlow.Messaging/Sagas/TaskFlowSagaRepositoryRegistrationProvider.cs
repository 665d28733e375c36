using MassTransit;
using MassTransit.Configuration;

namespace TaskFlow.Messaging.Sagas;

internal sealed class TaskFlowSagaRepositoryRegistrationProvider(Action<ITaskFlowSagaRepositoryConfigurator> configure) : ISagaRepositoryRegistrationProvider
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        configurator.TaskFlowRepository(configure);
}
