using Microsoft.EntityFrameworkCore;
using TaskFlow.Components.Data;
using TaskFlow.Components.Scheduling;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

internal static class TaskQueries
{
    /// <summary>Another user's task is indistinguishable from a missing one: both come back null.</summary>
    public static Task<TaskItem?> FindOwnedAsync(this TaskFlowDbContext db, Guid id, Guid ownerId, CancellationToken cancellationToken) =>
        db.Tasks.SingleOrDefaultAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken);

    /// <summary>The version a task has now, or null when it is gone; for answering a lost race.</summary>
    public static Task<int?> CurrentVersionAsync(this TaskFlowDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Tasks.AsNoTracking().Where(t => t.Id == id).Select(t => (int?)t.Version).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The zone <see cref="TaskDraft.Parse"/> gives a due date that names none: the owner's, looked up only when the
    /// request has a due date, since nothing else in a draft depends on it (a create without one costs a query less).
    /// </summary>
    public static Task<string> DraftTimeZoneAsync(this TaskFlowDbContext db, TaskRequest request, Guid ownerId, CancellationToken cancellationToken) =>
        request.Due is null ? Task.FromResult(TimeZones.Default) : db.OwnerTimeZoneAsync(ownerId, cancellationToken);

    public static async Task<string> OwnerTimeZoneAsync(this TaskFlowDbContext db, Guid ownerId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == ownerId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken)
        ?? TimeZones.Default;
}
