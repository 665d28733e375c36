using System.Globalization;
using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using TaskFlow.Api.Infrastructure;
using TaskFlow.Components.Data;
using TaskFlow.Components.Scheduling;
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
        if (Parse<TaskItemStatus>(query.Status, "status", errors) is { } status)
            tasks = tasks.Where(t => t.Status == status);
        if (ParsePriorities(query.Priority, errors) is { } priorities)
            tasks = tasks.Where(t => priorities.Contains(t.Priority));
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            tasks = tasks.Where(t => t.Tags.Contains(tag));
        }
        if (ParseBound(query.DueBefore, "dueBefore", ownerZone, errors) is { } before)
            tasks = tasks.Where(t => t.DueAt < before);
        if (ParseBound(query.DueAfter, "dueAfter", ownerZone, errors) is { } after)
            tasks = tasks.Where(t => t.DueAt >= after);
        if (ParseBool(query.Overdue, "overdue", errors) is { } overdue)
        {
            tasks = overdue
                ? tasks.Where(t => t.Status == TaskItemStatus.Open && t.DueAt < now)
                : tasks.Where(t => t.Status != TaskItemStatus.Open || t.DueAt == null || t.DueAt >= now);
        }

        var sort = Parse<TaskSort>(query.Sort, "sort", errors) ?? TaskSort.Due;
        var descending = ParseOrder(query.Order, errors);
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
            tasks = tasks.Where(StartingAfter(cursor));
        var page = await Ordered(tasks, sort, descending).Take(limit + 1).ToListAsync(cancellationToken);

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

    private static IQueryable<TaskItem> Ordered(IQueryable<TaskItem> tasks, TaskSort sort, bool descending) => (sort, descending) switch
    {
        (TaskSort.Due, false) => tasks.OrderBy(t => t.DueSort).ThenBy(t => t.Id),
        (TaskSort.Due, true) => tasks.OrderByDescending(t => t.DueSort).ThenByDescending(t => t.Id),
        (TaskSort.Priority, false) => tasks.OrderBy(t => t.Priority).ThenBy(t => t.Id),
        (TaskSort.Priority, true) => tasks.OrderByDescending(t => t.Priority).ThenByDescending(t => t.Id),
        (TaskSort.Created, false) => tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
        (TaskSort.Created, true) => tasks.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        (TaskSort.Title, false) => tasks.OrderBy(t => t.Title).ThenBy(t => t.Id),
        _ => tasks.OrderByDescending(t => t.Title).ThenByDescending(t => t.Id),
    };

    /// <summary>A row-value comparison, (key, id) &gt; (last key, last id), which PostgreSQL answers from the (owner_id, key, id) index.</summary>
    private static Expression<Func<TaskItem, bool>> StartingAfter(TaskCursor cursor)
    {
        var id = cursor.Id;
        var due = DateTime.SpecifyKind(cursor.Due ?? default, DateTimeKind.Utc);
        var created = cursor.Created ?? default;
        var priority = cursor.Priority ?? default;
        var title = cursor.Title ?? "";
        return (cursor.Sort, cursor.Descending) switch
        {
            (TaskSort.Due, false) => t => EF.Functions.GreaterThan(ValueTuple.Create(t.DueSort, t.Id), ValueTuple.Create(due, id)),
            (TaskSort.Due, true) => t => EF.Functions.LessThan(ValueTuple.Create(t.DueSort, t.Id), ValueTuple.Create(due, id)),
            (TaskSort.Priority, false) => t => EF.Functions.GreaterThan(ValueTuple.Create(t.Priority, t.Id), ValueTuple.Create(priority, id)),
            (TaskSort.Priority, true) => t => EF.Functions.LessThan(ValueTuple.Create(t.Priority, t.Id), ValueTuple.Create(priority, id)),
            (TaskSort.Created, false) => t => EF.Functions.GreaterThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(created, id)),
            (TaskSort.Created, true) => t => EF.Functions.LessThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(created, id)),
            (TaskSort.Title, false) => t => EF.Functions.GreaterThan(ValueTuple.Create(t.Title, t.Id), ValueTuple.Create(title, id)),
            _ => t => EF.Functions.LessThan(ValueTuple.Create(t.Title, t.Id), ValueTuple.Create(title, id)),
        };
    }

    private static string NextLink(HttpRequest request, string cursor)
    {
        var parameters = request.Query
            .Where(p => !p.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("cursor", cursor));
        return QueryHelpers.AddQueryString($"{request.PathBase}{request.Path}", parameters);
    }

    private static T? Parse<T>(string? text, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text.Trim()[0]))
            return value;
        errors[field] = [$"Must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}."];
        return null;
    }

    private static List<TaskPriority>? ParsePriorities(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var priorities = new List<TaskPriority>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse<TaskPriority>(part, "priority", errors) is { } priority)
                priorities.Add(priority);
        }
        return priorities;
    }

    private static DateTimeOffset? ParseBound(string? text, string field, NodaTime.DateTimeZone ownerZone, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        if (NodaTime.Text.LocalDatePattern.Iso.Parse(trimmed) is { Success: true } date && date.Value.Year is >= 1900 and <= 9999)
            return ownerZone.AtStartOfDay(date.Value).ToDateTimeOffset().ToUniversalTime();
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && trimmed.Contains('T', StringComparison.Ordinal)
            && (trimmed.EndsWith('Z') || trimmed.LastIndexOfAny(['+', '-']) > trimmed.IndexOf('T', StringComparison.Ordinal)))
            return instant.ToUniversalTime();
        errors[field] = ["Must be a date (2026-12-01) or an instant with an offset (2026-12-01T09:00:00Z)."];
        return null;
    }

    private static bool? ParseBool(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (bool.TryParse(text.Trim(), out var value))
            return value;
        errors[field] = ["Must be true or false."];
        return null;
    }

    private static bool ParseOrder(string? text, Dictionary<string, string[]> errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "asc":
                return false;
            case "desc":
                return true;
            default:
                errors["order"] = ["Must be asc or desc."];
                return false;
        }
    }
}
