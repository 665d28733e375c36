using MassTransit;
using Microsoft.EntityFrameworkCore.Storage;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

internal static class TaskWrites
{
    /// <summary>
    /// One transaction for a write request's reads and its save: one PostgreSQL transaction per change rather than one
    /// per statement (Npgsql sends the BEGIN with the first statement). Without EF's savepoint before the save, a round
    /// trip of its own: a request whose save fails ends there, and disposing the transaction rolls all of it back.
    /// </summary>
    public static Task<IDbContextTransaction> BeginWriteAsync(this TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        db.Database.AutoSavepointsEnabled = false;
        return db.Database.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the change the caller made to <paramref name="task"/> as its next version, with the event
    /// <paramref name="describe"/> makes of it published in the same transaction (the outbox). The version column is a
    /// concurrency token, so a write that raced ours between read and save is caught by the database.
    /// </summary>
    public static async Task<Results<Ok<TaskResponse>, NotFound, ValidationProblem, ProblemHttpResult>> SaveChangeAsync(
        this TaskItem task, Func<object> describe, TaskFlowDbContext db, IPublishEndpoint publish, DateTimeOffset now,
        HttpResponse response, CancellationToken cancellationToken)
    {
        task.Version++;
        task.UpdatedAt = now;
        await publish.Publish(describe(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.CurrentVersionAsync(task.Id, cancellationToken);
            return current is { } version ? TaskVersion.Stale(version) : TypedResults.NotFound();
        }

        response.Headers.ETag = TaskVersion.ETag(task.Version);
        return TypedResults.Ok(TaskResponse.From(task, now));
    }
}
