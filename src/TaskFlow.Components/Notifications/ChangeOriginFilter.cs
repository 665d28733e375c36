using MassTransit;
using Microsoft.AspNetCore.Http;
using TaskFlow.Contracts;

namespace TaskFlow.Components.Notifications;

/// <summary>
/// Stamps each task event published while serving a request with the client that sent it (<see cref="ChangeOrigin"/>).
/// A publish filter runs before the outbox stores the message, so the header is kept with it; the endpoints need not know.
/// Only task events: a reminder or an occurrence the worker derives from one is the system's doing, whoever changed the task.
/// </summary>
internal sealed class ChangeOriginFilter(IHttpContextAccessor http) : IFilter<PublishContext>
{
    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        if (context is SendContext<ITaskEvent> && ChangeOrigin.Of(http.HttpContext?.Request) is { } origin)
            context.Headers.Set(ChangeOrigin.MessageHeader, origin);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("changeOrigin");
}
