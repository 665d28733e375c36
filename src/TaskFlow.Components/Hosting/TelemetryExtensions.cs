using System.Diagnostics;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TaskFlow.Messaging;

namespace TaskFlow.Components.Hosting;

/// <summary>OpenTelemetry for both hosts: what is traced and measured, and where it goes.</summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs are collected only when something receives them: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// set, or with <c>Telemetry:Enabled</c> for an exporter added in code (the specs' in-memory one). Otherwise no
    /// listener exists and MassTransit, Npgsql and HttpClient create no spans at all.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue("Telemetry:Enabled", ExportsOtlp(configuration));

    private static bool ExportsOtlp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// OpenTelemetry as the standard <c>OTEL_*</c> variables configure it (endpoint, protocol, headers, resource
    /// attributes); the service is <paramref name="serviceName"/> unless <c>OTEL_SERVICE_NAME</c> says otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IsEnabled(builder.Configuration))
            return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithTracing(tracing =>
            {
                // OTEL_TRACES_SAMPLER, when set, is the SDK's to read (a ratio for a busy production, say).
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]))
                    tracing.SetSampler(new ParentBasedSampler(new WithoutBackgroundQueries()));
                tracing.AddSource(TaskFlowTelemetry.SourceName, MessagingTelemetry.SourceName, DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = IsTraced)
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
            })
            .WithMetrics(metrics => metrics
                .AddMeter(TaskFlowTelemetry.MeterName, MessagingTelemetry.SourceName, InstrumentationOptions.MeterName)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.RateLimiting")
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation());
        if (ExportsOtlp(builder.Configuration))
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: logs =>
            {
                logs.IncludeScopes = true;
                logs.IncludeFormattedMessage = true;
            });
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Probes poll every few seconds and would bury the traces people look for.</summary>
    private static bool IsTraced(HttpContext context) => !context.Request.Path.StartsWithSegments("/health");

    /// <summary>
    /// A client call that starts a trace of its own is background polling: the outbox's sweeps, the scheduler's claims,
    /// Quartz's cluster check-ins. Sampled, they would fill the viewer with one-span traces every few seconds; the same
    /// calls made inside a request or a consume are kept, as children of it.
    /// </summary>
    private sealed class WithoutBackgroundQueries : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
    }
}
