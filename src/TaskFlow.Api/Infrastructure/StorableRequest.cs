namespace TaskFlow.Api.Infrastructure;

/// <summary>Refuses a query string or route value the API cannot store with a 400 naming it, before any endpoint runs.</summary>
internal static class StorableRequest
{
    public static Task RefuseUnstorableText(HttpContext context, RequestDelegate next)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (!StorableText.IsStorable(name))
                return Refuse(context, "query");
            foreach (var value in values)
            {
                if (!StorableText.IsStorable(value))
                    return Refuse(context, name);
            }
        }
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && !StorableText.IsStorable(text))
                return Refuse(context, name);
        }
        return next(context);
    }

    private static Task Refuse(HttpContext context, string field) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [StorableText.Problem] }).ExecuteAsync(context);
}
