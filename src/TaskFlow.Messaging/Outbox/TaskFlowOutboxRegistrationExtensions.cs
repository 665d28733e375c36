using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

namespace TaskFlow.Messaging.Outbox;

/// <summary>
/// Registration shaped like MassTransit.EntityFrameworkCore's, so swapping to it is a rename:
/// <c>AddTaskFlowOutbox</c> ↔ <c>AddEntityFrameworkOutbox</c>, <c>UseTaskFlowOutbox</c> ↔ <c>UseEntityFrameworkOutbox</c>.
/// </summary>
public static class TaskFlowOutboxRegistrationExtensions
{
    /// <summary>
    /// The consumer inbox for <typeparamref name="TDbContext"/> (with its cleanup service) and, with
    /// <see cref="ITaskFlowOutboxConfigurator.UseBusOutbox"/>, the bus outbox and its delivery service.
    /// </summary>
    public static IBusRegistrationConfigurator AddTaskFlowOutbox<TDbContext>(this IBusRegistrationConfigurator configurator,
        Action<ITaskFlowOutboxConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);
        new TaskFlowOutboxConfigurator<TDbContext>(configurator).Configure(configure);
        return configurator;
    }

    /// <summary>
    /// Puts the inbox in front of every consumer and saga configured on this endpoint after this call (use it in
    /// <c>AddConfigureEndpointsCallback</c>; retry and redelivery belong outside it, on the endpoint).
    /// </summary>
    public static void UseTaskFlowOutbox<TDbContext>(this IReceiveEndpointConfigurator configurator, IRegistrationContext context,
        Action<IOutboxOptionsConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var observer = new OutboxConsumePipeSpecificationObserver<TDbContext>(configurator, context);
        configure?.Invoke(observer);
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}
