using TaskFlow.Components.Notifications;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Refuses a request whose X-TaskFlow-Client is not one well-formed id with a 400 naming the header, before any endpoint
/// runs: a page that sends a broken id learns of it at once, rather than finding its own changes counted on its bell.
/// </summary>
internal static class ClientHeader
{
    public static Task RefuseMalformed(HttpContext context, RequestDelegate next)
    {
        var values = context.Request.Headers[ChangeOrigin.RequestHeader];
        if (values.Count == 0 || ChangeOrigin.Of(context.Request) is not null)
            return next(context);
        return Results.ValidationProblem(new Dictionary<string, string[]> { [ChangeOrigin.RequestHeader] = [ChangeOrigin.Problem] })
            .ExecuteAsync(context);
    }
}
