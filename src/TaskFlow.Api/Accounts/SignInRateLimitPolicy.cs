using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskFlow.Api.Accounts;

/// <summary>
/// Login and register attempts per client address in a fixed window, refused with 429: too many from one caller,
/// unlike the 503 that tells every caller the server is at capacity.
/// </summary>
internal sealed class SignInRateLimitPolicy(IOptions<AuthOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            context.HttpContext.Response.SetRetryAfter(retryAfter);
        return new ValueTask(Results.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                detail: "Too many attempts from this address; try again later.")
            .ExecuteAsync(context.HttpContext));
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limit = options.Value.RateLimit;
        return RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 });
    }
}
