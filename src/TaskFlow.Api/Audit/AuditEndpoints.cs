using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Api.Infrastructure;
using TaskFlow.Components.Audit;
using TaskFlow.Components.Data;

namespace TaskFlow.Api.Audit;

/// <summary>The owner's view of the audit log: one task's history, or every event in a time range. Newest last.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private static readonly string[] EventTypes = ["created", "updated", "completed", "reopened", "deleted"];

    public sealed record Entry(Guid EventId, string Type, Guid TaskId, int TaskVersion, DateTimeOffset OccurredAt, JsonElement Event);

    public sealed record Page(IReadOnlyList<Entry> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/tasks/{id:guid}/history", History).RequireAuthorization().WithTags("Audit")
            .WithSummary("Every recorded change of one of your tasks, oldest first (also after it was deleted)");
        endpoints.MapGet("/api/v1/audit", Search).RequireAuthorization().WithTags("Audit")
            .WithSummary("Your audit log: every event of your tasks, oldest first, filtered by time and type");
        return endpoints;
    }

    /// <summary>404, as every task route answers, unless the task is the caller's or was (its history outlives it).</summary>
    public static async Task<Results<Ok<Page>, NotFound, ValidationProblem>> History(
        Guid id, string? limit, string? cursor, ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = PageSize.Parse(limit, DefaultLimit, MaxLimit, errors);
        var after = AuditPages.ParseCursor(cursor, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var ownerId = principal.GetUserId();
        var entries = db.AuditLog.AsNoTracking().Where(a => a.OwnerId == ownerId && a.TaskId == id);
        var page = await AuditPages.ReadAsync(entries, take, after, cancellationToken);
        // A task just created has no entry until the worker audits it; a page past the last has none either.
        if (page.Items.Count == 0
            && !await db.Tasks.AnyAsync(t => t.Id == id && t.OwnerId == ownerId, cancellationToken)
            && !await entries.AnyAsync(cancellationToken))
            return TypedResults.NotFound();
        return TypedResults.Ok(page);
    }

    /// <param name="from">Inclusive instant with offset.</param>
    /// <param name="to">Exclusive instant with offset.</param>
    /// <param name="type">created, updated, completed, reopened or deleted.</param>
    public static async Task<Results<Ok<Page>, ValidationProblem>> Search(
        string? from, string? to, string? type, string? limit, string? cursor, ClaimsPrincipal principal, TaskFlowDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var since = ParseInstant(from, "from", errors);
        var until = ParseInstant(to, "to", errors);
        if (type is not null && !EventTypes.Contains(type))
            errors["type"] = [$"Must be one of {string.Join(", ", EventTypes)}."];
        var take = PageSize.Parse(limit, DefaultLimit, MaxLimit, errors);
        var after = AuditPages.ParseCursor(cursor, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var ownerId = principal.GetUserId();
        var entries = db.AuditLog.AsNoTracking().Where(a => a.OwnerId == ownerId);
        if (since is not null)
            entries = entries.Where(a => a.OccurredAt >= since);
        if (until is not null)
            entries = entries.Where(a => a.OccurredAt < until);
        if (type is not null)
            entries = entries.Where(a => a.EventType == type);
        return TypedResults.Ok(await AuditPages.ReadAsync(entries, take, after, cancellationToken));
    }

    private static DateTimeOffset? ParseInstant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && instant.Year is >= 1900 and <= 9999)
            return instant.ToUniversalTime();
        errors[field] = ["Must be an instant such as 2026-12-01T09:00:00Z."];
        return null;
    }
}
