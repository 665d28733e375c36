using System.ComponentModel;
using System.Data;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TaskFlow.Components.Notifications;

namespace TaskFlow.Api.Notifications;

/// <summary>The user's notifications: read them (unread first), catch up after a reconnect, mark read; and what is pushed live.</summary>
public static class NotificationEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private const string ClientDescription =
        "This browser window's own id (up to 64 letters, digits, '-' or '_'), sent on every request: the changes it makes " +
        "carry it as their notifications' origin, and unreadCount here leaves out the unread ones whose origin it is, so a " +
        "window's bell does not count what its user just did there. Not a credential and not security-relevant: it only " +
        "decides whose bell counts a change. Without it, every unread notification counts.";

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder endpoints)
    {
        var notifications = endpoints.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization();
        notifications.MapGet("/", List)
            .WithSummary("Your notifications, unread first then newest; with after=<id>, those stored after it, oldest first (catching up)");
        notifications.MapPost("/{id:long}/read", MarkRead).WithSummary("Mark one notification read");
        notifications.MapPost("/read-all", MarkAllRead).WithSummary("Mark every notification read");
        return endpoints.MapNotificationPreferences();
    }

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem>> List(
        string? limit, string? cursor, string? after,
        [FromHeader(Name = ChangeOrigin.RequestHeader), Description(ClientDescription)] string? client,
        ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = PageSize.Parse(limit, DefaultLimit, MaxLimit, errors);
        long? since = null;
        if (after is not null)
        {
            if (long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                since = id;
            else
                errors["after"] = ["Must be the id of the last notification you saw, a whole number."];
        }
        (bool Read, long Id)? from = null;
        if (cursor is not null)
        {
            if (cursor.Length > 2 && cursor[1] == '.' && cursor[0] is 'u' or 'r'
                && long.TryParse(cursor.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                from = (cursor[0] == 'r', id);
            else
                errors["cursor"] = ["Must be a nextCursor from an earlier page."];
        }
        if (since is not null && cursor is not null)
            errors["after"] = ["Catching up pages by after alone: pass the last id received instead of a cursor."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var ownerId = principal.GetUserId();
        // One snapshot for the count and the page: read apart, a notification the worker stored in between showed
        // as unread on the page but not in the count.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var mine = db.Notifications.Where(n => n.OwnerId == ownerId);
        var counted = mine.Where(n => n.ReadAt == null);
        if (client is not null)
            counted = counted.Where(n => n.Origin == null || n.Origin != client);
        var unread = await counted.CountAsync(cancellationToken);

        if (since is { } last)
        {
            var missed = await mine.Where(n => n.Id > last).OrderBy(n => n.Id).Take(take).ToListAsync(cancellationToken);
            var more = missed.Count == take ? $"{missed[^1].Id}" : null;
            return TypedResults.Ok(new NotificationPage(missed.Select(LiveNotification.From).ToList(), unread, more));
        }

        var query = mine;
        if (from is { Read: false } unreadFrom)
            query = query.Where(n => (n.ReadAt == null && n.Id < unreadFrom.Id) || n.ReadAt != null);
        else if (from is { Read: true } readFrom)
            query = query.Where(n => n.ReadAt != null && n.Id < readFrom.Id);
        var page = await query
            .OrderBy(n => n.ReadAt == null ? 0 : 1)
            .ThenByDescending(n => n.Id)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        string? next = null;
        if (page.Count > take)
        {
            page.RemoveAt(take);
            next = $"{(page[^1].ReadAt is null ? 'u' : 'r')}.{page[^1].Id}";
        }
        return TypedResults.Ok(new NotificationPage(page.Select(LiveNotification.From).ToList(), unread, next));
    }

    public static async Task<Results<NoContent, NotFound>> MarkRead(
        long id, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        var found = await db.Notifications.Where(n => n.Id == id && n.OwnerId == ownerId)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, x => x.ReadAt ?? clock.GetUtcNowForStorage()), cancellationToken);
        return found == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    public static async Task<NoContent> MarkAllRead(
        ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        var now = clock.GetUtcNowForStorage();
        await db.Notifications.Where(n => n.OwnerId == ownerId && n.ReadAt == null)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
        return TypedResults.NoContent();
    }
}
