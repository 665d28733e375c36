using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Components.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// One JSON object per log event (message template, properties, scopes, UTC timestamp) for log collectors;
    /// Development keeps the readable console people watch while running `infra/taskflow.sh up`.
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowLogging(this IHostApplicationBuilder builder)
    {
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
