using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Sagas;

internal sealed class TaskFlowSagaRepositoryConfigurator : ITaskFlowSagaRepositoryConfigurator
{
    private IRepositoryRegistration? registration;

    public void ExistingDbContext<TDbContext>()
        where TDbContext : DbContext =>
        registration = new RepositoryRegistration<TDbContext>();

    public void Register<TSaga>(ISagaRepositoryRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        (registration ?? throw new ConfigurationException(
            $"The TaskFlow saga repository for {typeof(TSaga).Name} needs a DbContext: r => r.ExistingDbContext<TDbContext>()."))
        .Register(configurator);

    // The DbContext type is chosen before the saga type is known; this carries it to the generic registration.
    private interface IRepositoryRegistration
    {
        void Register<TSaga>(ISagaRepositoryRegistrationConfigurator<TSaga> configurator)
            where TSaga : class, ISaga;
    }

    private sealed class RepositoryRegistration<TDbContext> : IRepositoryRegistration
        where TDbContext : DbContext
    {
        public void Register<TSaga>(ISagaRepositoryRegistrationConfigurator<TSaga> configurator)
            where TSaga : class, ISaga
        {
            // Load and query first: the saga registration only fills in "not supported" where nothing is registered.
            configurator.RegisterLoadSagaRepository<TSaga, TaskFlowSagaRepositoryContextFactory<TDbContext, TSaga>>();
            configurator.RegisterQuerySagaRepository<TSaga, TaskFlowSagaRepositoryContextFactory<TDbContext, TSaga>>();
            configurator.RegisterSagaRepository<TSaga, TDbContext, SagaConsumeContextFactory<TDbContext, TSaga>,
                TaskFlowSagaRepositoryContextFactory<TDbContext, TSaga>>();
        }
    }
}
