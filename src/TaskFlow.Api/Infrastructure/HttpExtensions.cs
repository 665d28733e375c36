using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TaskFlow.Api.Notifications;

namespace TaskFlow.Api.Infrastructure;

public static class HttpExtensions
{
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Sets Retry-After in whole seconds (RFC 9110 10.2.3), rounded up so a client never comes back early.</summary>
    public static int SetRetryAfter(this HttpResponse response, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    /// <summary>JSON, RFC 9457 problem details for every error, the body size limit and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddTaskFlowHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures become exceptions so the handler above can name the offending field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            options.SerializerOptions.Converters.Add(new StorableStringConverter());
        });
        builder.Services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddOpenApi(options => options
            .AddDocumentTransformer<OpenApiDocumentDescription>()
            .AddSchemaTransformer<StorableStringConverter.Schema>());
        return builder;
    }

    public static WebApplication UseTaskFlowHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty-bodied 4xx answers (401, 404, 405, 415 ...) get a problem-details body too.
        app.UseStatusCodePages();
        app.Use(RejectOversizedBodies);
        // Before authentication: a request refused for overload costs no token validation.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(RequestCharset.RefuseUnknownCharset);
        app.Use(StorableRequest.RefuseUnstorableText);
        app.Use(ClientHeader.RefuseMalformed);
        return app;
    }

    /// <summary>
    /// Kestrel enforces the limit while reading; answering from Content-Length up front also covers
    /// hosts that do not (the test server) and spares reading a body that will be refused.
    /// </summary>
    private static Task RejectOversizedBodies(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"The request body may be at most {MaxRequestBodyBytes / 1024} KB.").ExecuteAsync(context);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxRequestBodyBytes;
        return next(context);
    }
}
