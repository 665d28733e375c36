using System.Diagnostics.Metrics;
using TaskFlow.Components.Hosting;

namespace TaskFlow.Api.Notifications;

/// <summary>The push counter, one per host (a consumer is made per message).</summary>
public sealed class LivePushes(IMeterFactory meterFactory)
{
    private readonly Counter<long> pushed = TaskFlowTelemetry.CreateMeter(meterFactory)
        .CreateCounter<long>(TaskFlowTelemetry.NotificationsPushed, "{notification}", "Notifications pushed to the owner's connections");

    public void Add(string kind) => pushed.Add(1, new KeyValuePair<string, object?>("taskflow.notification.kind", kind));
}
