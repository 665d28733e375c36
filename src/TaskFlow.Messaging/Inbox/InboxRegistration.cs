using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Messaging.Inbox;

/// <summary>The consumer inbox's services for one DbContext, as <c>AddTaskFlowOutbox</c> registers them.</summary>
internal static class InboxRegistration
{
    /// <summary>The inbox that <c>UseTaskFlowOutbox</c> puts in front of consumers, and, with settings, the service that forgets old rows.</summary>
    public static void AddTaskFlowInbox<TDbContext>(this IServiceCollection services, Action<InboxCleanupServiceOptions<TDbContext>>? cleanup)
        where TDbContext : DbContext
    {
        services.TryAddScoped<IOutboxContextFactory<TDbContext>, InboxOutboxContextFactory<TDbContext>>();
        if (cleanup is null)
            return;
        services.AddOptions<InboxCleanupServiceOptions<TDbContext>>().Configure(cleanup);
        services.AddHostedService<InboxCleanupService<TDbContext>>();
    }
}
