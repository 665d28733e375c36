using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Components.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// One JSON object per log event (message template, properties, scopes with the trace and span ids, UTC timestamp)
    /// for log collectors; Development keeps the readable console people watch while running `infra/taskflow.sh up`.
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowLogging(this IHostApplicationBuilder builder)
    {
        // Every log written inside a request or a consume names its trace, so a log line leads to the trace and back.
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (builder.Environment.IsDevelopment())
            return builder;
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return builder;
    }
}
