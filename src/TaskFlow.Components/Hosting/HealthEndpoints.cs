using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace TaskFlow.Components.Hosting;

public static class HealthEndpoints
{
    /// <summary>
    /// /health/live answers as long as the process serves requests; /health/ready also checks the
    /// dependencies (checks tagged "ready"), so an orchestrator routes no traffic to an instance that cannot work.
    /// </summary>
    public static IEndpointRouteBuilder MapTaskFlowHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }
}
