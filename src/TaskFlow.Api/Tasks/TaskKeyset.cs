using System.Linq.Expressions;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>Keyset paging of a task listing: its order, and where the page after a cursor starts, for each <see cref="TaskSort"/>.</summary>
internal static class TaskKeyset
{
    public static IQueryable<TaskItem> Ordered(IQueryable<TaskItem> tasks, TaskSort sort, bool descending) => (sort, descending) switch
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
    public static Expression<Func<TaskItem, bool>> StartingAfter(TaskCursor cursor)
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
}
