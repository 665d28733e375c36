using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Components.Bus;

/// <summary>
/// The worker's readiness on the bus. MassTransit calls a bus whose endpoints are all reconnecting to a vanished broker
/// "degraded", which a health endpoint answers with 200: a worker that cannot consume would look ready through a whole
/// outage. Ready only when every receive endpoint is.
/// </summary>
internal sealed class ConsumingHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        return Task.FromResult(health.Status == BusHealthStatus.Healthy
            ? HealthCheckResult.Healthy(health.Description)
            : HealthCheckResult.Unhealthy(health.Description, health.Exception));
    }
}
