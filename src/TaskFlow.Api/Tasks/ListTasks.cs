using Microsoft.AspNetCore.WebUtilities;
using NpgsqlTypes;
using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>Search, filter and sort one user's tasks, a page at a time (keyset paging: stable and fast at any depth).</summary>
public static class ListTasks
{
    public const string RouteName = "ListTasks";
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <param name="Q">Words to find in title and description (web-search syntax: "quoted phrase", -excluded, or).</param>
    /// <param name="Status">open or completed; both when left out.</param>
    /// <param name="Priority">none, low, medium or high; several separated by commas.</param>
    /// <param name="DueBefore">An instant with offset, or a date (start of that day in your zone); exclusive.</param>
    /// <param name="DueAfter">An instant with offset, or a date (start of that day in your zone); inclusive.</param>
    /// <param name="Overdue">true: open tasks past their due time; false: all others.</param>
    /// <param name="Sort">due (default), priority, created or title.</param>
    /// <param name="Order">asc (default) or desc.</param>
    /// <param name="Limit">1 to 100, default 20.</param>
    /// <param name="Cursor">nextCursor from the previous page.</param>
    public sealed record Query(
        string? Q, string? Status, string? Priority, string? Tag, string? DueBefore, string? DueAfter,
        string? Overdue, string? Sort, string? Order, string? Limit, string? Cursor);

    public sealed record Page(IReadOnlyList<TaskResponse> Items, string? NextCursor, string? Next);

    public static async Task<Results<Ok<Page>, ValidationProblem>> Handle(
        [AsParameters] Query query, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var ownerZone = TimeZones.Find(await db.OwnerTimeZoneAsync(ownerId, cancellationToken))!;

        var tasks = db.Tasks.AsNoTracking().Where(t => t.OwnerId == ownerId);

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var words = query.Q.Trim();
            tasks = tasks.Where(t => EF.Property<NpgsqlTsVector>(t, TaskFlowDbContext.SearchColumn).Matches(EF.Functions.WebSearchToTsQuery("english", words)));
        }
        if (ListQuery.Parse<TaskItemStatus>(query.Status, "status", errors) is { } status)
            tasks = tasks.Where(t => t.Status == status);
        if (ListQuery.ParsePriorities(query.Priority, errors) is { } priorities)
            tasks = tasks.Where(t => priorities.Contains(t.Priority));
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            tasks = tasks.Where(t => t.Tags.Contains(tag));
        }
        if (ListQuery.ParseBound(query.DueBefore, "dueBefore", ownerZone, errors) is { } before)
            tasks = tasks.Where(t => t.DueAt < before);
        if (ListQuery.ParseBound(query.DueAfter, "dueAfter", ownerZone, errors) is { } after)
            tasks = tasks.Where(t => t.DueAt >= after);
        if (ListQuery.ParseBool(query.Overdue, "overdue", errors) is { } overdue)
        {
            tasks = overdue
                ? tasks.Where(t => t.Status == TaskItemStatus.Open && t.DueAt < now)
                : tasks.Where(t => t.Status != TaskItemStatus.Open || t.DueAt == null || t.DueAt >= now);
        }

        var sort = ListQuery.Parse<TaskSort>(query.Sort, "sort", errors) ?? TaskSort.Due;
        var descending = ListQuery.ParseOrder(query.Order, errors);
        var limit = PageSize.Parse(query.Limit, DefaultLimit, MaxLimit, errors);
        TaskCursor? cursor = null;
        if (!string.IsNullOrWhiteSpace(query.Cursor))
        {
            cursor = TaskCursor.Decode(query.Cursor);
            if (cursor is null || cursor.Sort != sort || cursor.Descending != descending)
                errors["cursor"] = ["Is not a cursor from this listing; pass nextCursor unchanged, with the same sort and order."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (cursor is not null)
            tasks = tasks.Where(TaskKeyset.StartingAfter(cursor));
        var page = await TaskKeyset.Ordered(tasks, sort, descending).Take(limit + 1).ToListAsync(cancellationToken);

        string? nextCursor = null, next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            nextCursor = TaskCursor.After(page[^1], sort, descending).Encode();
            next = NextLink(http.Request, nextCursor);
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        return TypedResults.Ok(new Page(page.Select(t => TaskResponse.From(t, now)).ToList(), nextCursor, next));
    }

    private static string NextLink(HttpRequest request, string cursor)
    {
        var parameters = request.Query
            .Where(p => !p.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("cursor", cursor));
        return QueryHelpers.AddQueryString($"{request.PathBase}{request.Path}", parameters);
    }
}
