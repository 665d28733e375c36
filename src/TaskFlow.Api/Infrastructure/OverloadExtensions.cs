using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// Beyond what it can answer, the API refuses at once with 503 and Retry-After (RFC 9110 15.6.4) rather than letting
/// requests queue for a database connection until the pool's or the client's timeout, which answered 500s and held
/// every caller seconds for nothing. Health checks, the live channel and the web page are never refused: an
/// orchestrator must not restart a busy replica, and browsers must keep their push.
/// </summary>
public static class OverloadExtensions
{
    public static IHostApplicationBuilder AddTaskFlowOverload(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OverloadOptions>()
            .BindConfiguration(OverloadOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                var pool = configuration.GetTaskFlowMaxPoolSize();
                foreach (var bound in new[] { options.Writes, options.Reads })
                {
                    bound.PermitLimit ??= pool;
                    bound.QueueLimit ??= pool;
                }
            })
            .Validate(o => o.Writes.PermitLimit >= 1 && o.Reads.PermitLimit >= 1, "Overload: PermitLimit must be at least 1.")
            .Validate(o => o.Writes.QueueLimit >= 0 && o.Reads.QueueLimit >= 0, "Overload: QueueLimit must not be negative.")
            .Validate(o => o.RetryAfter > TimeSpan.Zero, "Overload:RetryAfter must be positive.")
            .ValidateOnStart();

        builder.Services.AddRateLimiter(options =>
        {
            // The global limiter's refusals; a policy's own (the sign-in limit's 429) answers with its own handler.
            options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Kind(http) switch
            {
                { } kind => RateLimitPartition.GetConcurrencyLimiter(kind, _ => Limiter(http, kind)),
                null => RateLimitPartition.GetNoLimiter(""),
            });
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.HttpContext.RequestServices.GetRequiredService<IOptions<OverloadOptions>>().Value.RetryAfter;
                var seconds = context.HttpContext.Response.SetRetryAfter(retryAfter);
                return new ValueTask(Results.Problem(
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        detail: $"The server is at capacity and did nothing with this request; try again in {seconds} s.")
                    .ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }

    private static string? Kind(HttpContext http)
    {
        // An assistant's tool call does what the REST call it stands for does, and counts as a write (it may be one).
        if (!http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments(Assistants.AssistantExtensions.Path))
            return null;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            return nameof(OverloadOptions.Reads);
        return HttpMethods.IsOptions(method) ? null : nameof(OverloadOptions.Writes);
    }

    private static ConcurrencyLimiterOptions Limiter(HttpContext http, string kind)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<OverloadOptions>>().Value;
        var bound = kind == nameof(OverloadOptions.Writes) ? options.Writes : options.Reads;
        return new ConcurrencyLimiterOptions
        {
            PermitLimit = bound.PermitLimit!.Value,
            QueueLimit = bound.QueueLimit!.Value,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }
}
