using TaskFlow.Components.Calendar;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

internal static class TaskQueries
{
    /// <summary>Another user's task is indistinguishable from a missing one: both come back null.</summary>
    public static Task<TaskItem?> FindOwnedAsync(this TaskFlowDbContext db, Guid id, Guid ownerId, CancellationToken cancellationToken) =>
        db.Tasks.SingleOrDefaultAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken);

    /// <summary>
    /// <see cref="FindOwnedAsync"/> for a write guarded by If-Match: the task when <paramref name="expected"/> admits its
    /// version; otherwise no task, and the version it has when it exists.
    /// </summary>
    public static async Task<(TaskItem? Task, int? StaleVersion)> FindOwnedAtAsync(
        this TaskFlowDbContext db, Guid id, Guid ownerId, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        var task = await db.FindOwnedAsync(id, ownerId, cancellationToken);
        return task is null || expected.Admits(task.Version) ? (task, null) : (null, task.Version);
    }

    /// <summary>The version a task has now, or null when it is gone; for answering a lost race.</summary>
    public static Task<int?> CurrentVersionAsync(this TaskFlowDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Tasks.AsNoTracking().Where(t => t.Id == id).Select(t => (int?)t.Version).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The zone <see cref="TaskDraft.Parse"/> gives a due date that names none: the owner's, looked up only when the
    /// request has a due date without a zone of its own, since nothing else in a draft depends on it.
    /// </summary>
    public static Task<string> DraftTimeZoneAsync(this TaskFlowDbContext db, TaskRequest request, Guid ownerId, CancellationToken cancellationToken) =>
        NeedsOwnerTimeZone(request) ? db.OwnerTimeZoneAsync(ownerId, cancellationToken) : Task.FromResult(TimeZones.Default);

    public static bool NeedsOwnerTimeZone(TaskRequest request) =>
        request.Due is { } due && string.IsNullOrWhiteSpace(due.TimeZone);

    /// <summary>
    /// <see cref="FindOwnedAsync"/> with the zone a draft of <paramref name="request"/> needs read in the same statement,
    /// where the request needs the owner's.
    /// </summary>
    public static async Task<(TaskItem? Task, string DraftTimeZone)> FindOwnedForDraftAsync(
        this TaskFlowDbContext db, Guid id, Guid ownerId, TaskRequest request, CancellationToken cancellationToken)
    {
        if (!NeedsOwnerTimeZone(request))
            return (await db.FindOwnedAsync(id, ownerId, cancellationToken), TimeZones.Default);
        var found = await db.Tasks.Where(t => t.Id == id && t.OwnerId == ownerId)
            .Select(t => new { Task = t, Zone = db.Users.Where(u => u.Id == ownerId).Select(u => u.TimeZone).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        return (found?.Task, found?.Zone ?? TimeZones.Default);
    }

    public static async Task<string> OwnerTimeZoneAsync(this TaskFlowDbContext db, Guid ownerId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == ownerId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken)
        ?? TimeZones.Default;
}
