using TaskFlow.Components.Notifications;

namespace TaskFlow.Api.Notifications;

/// <summary>
/// Which notifications are pushed live, and when not at all. They only gate the push: the worker stores every
/// notification and applies these as it announces one.
/// </summary>
public static class PreferenceEndpoints
{
    public static IEndpointRouteBuilder MapNotificationPreferences(this IEndpointRouteBuilder endpoints)
    {
        var preferences = endpoints.MapGroup("/api/v1/notifications/preferences").WithTags("Notifications").RequireAuthorization();
        preferences.MapGet("/", Get)
            .WithSummary("What is pushed to you live: the kinds, and quiet hours in your profile's time zone");
        preferences.MapPut("/", Update)
            .WithSummary("Choose the kinds pushed live and your quiet hours; every notification still reaches your inbox");
        return endpoints;
    }

    public static async Task<Results<Ok<PreferencesResponse>, NotFound>> Get(
        ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        var found = await db.Users
            .Where(u => u.Id == ownerId)
            .Select(u => new { u.TimeZone, Saved = db.NotificationPreferences.SingleOrDefault(p => p.OwnerId == u.Id) })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
            return TypedResults.NotFound();
        return found.Saved is { } saved
            ? TypedResults.Ok(Answer(saved.LiveKinds, QuietHours.FromStored(saved.QuietStart, saved.QuietEnd), found.TimeZone))
            : TypedResults.Ok(Answer(NotificationKinds.All, null, found.TimeZone));
    }

    public static async Task<Results<Ok<PreferencesResponse>, NotFound, ValidationProblem>> Update(
        PreferencesRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var live = ParseLive(request.Live, errors);
        var quiet = ParseQuietHours(request.QuietHours, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        // Last write wins: a user's own settings, replaced whole, with nothing derived from the previous value that a
        // concurrent write could invalidate.
        var saved = await db.Database.SavePreferencesAsync(principal.GetUserId(), live, quiet, clock.GetUtcNowForStorage(), cancellationToken);
        return saved is { } timeZone ? TypedResults.Ok(Answer(live, quiet, timeZone)) : TypedResults.NotFound();
    }

    private static PreferencesResponse Answer(IReadOnlyList<string> live, QuietHours? quiet, string timeZone) =>
        new(live, quiet is null ? null : new QuietHoursResponse(QuietHours.Format(quiet.Start), QuietHours.Format(quiet.End)), timeZone);

    /// <summary>Known kinds, in any case and order, repeats ignored; answered in the order of <see cref="NotificationKinds.All"/>.</summary>
    private static List<string> ParseLive(IReadOnlyList<string?>? live, Dictionary<string, string[]> errors)
    {
        if (live is null)
        {
            errors["live"] = ["Is required: the kinds to push live, [] for none."];
            return [];
        }
        var chosen = new HashSet<string>();
        for (var i = 0; i < live.Count; i++)
        {
            var kind = NotificationKinds.All.FirstOrDefault(k => k.Equals(live[i]?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (kind is null)
                errors[$"live[{i}]"] = [$"Must be one of {string.Join(", ", NotificationKinds.All)}."];
            else
                chosen.Add(kind);
        }
        return NotificationKinds.All.Where(chosen.Contains).ToList();
    }

    private static QuietHours? ParseQuietHours(QuietHoursRequest? request, Dictionary<string, string[]> errors)
    {
        if (request is null)
            return null;
        const string TimeOfDay = "Must be a time of day from 00:00 to 23:59, such as 22:00.";
        var hasStart = QuietHours.TryParseTime(request.Start, out var start);
        if (!hasStart)
            errors["quietHours.start"] = [TimeOfDay];
        var hasEnd = QuietHours.TryParseTime(request.End, out var end);
        if (!hasEnd)
            errors["quietHours.end"] = [TimeOfDay];
        if (!hasStart || !hasEnd)
            return null;
        if (start == end)
        {
            errors["quietHours"] = ["Must end at another time than it starts; for no quiet hours, send null."];
            return null;
        }
        return new QuietHours(start, end);
    }
}
