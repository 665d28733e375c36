using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Accounts;

public static class Profile
{
    public sealed record UpdateRequest(string? TimeZone);

    public static async Task<Results<Ok<ProfileResponse>, NotFound>> Get(ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([principal.GetUserId()], cancellationToken);
        return user is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new ProfileResponse(user.Id, user.Email, user.TimeZone, user.CreatedAt));
    }

    public static async Task<Results<Ok<ProfileResponse>, NotFound, ValidationProblem>> Update(
        UpdateRequest request, ClaimsPrincipal principal, TaskFlowDbContext db, CancellationToken cancellationToken)
    {
        var zone = TimeZones.Find(request.TimeZone);
        if (zone is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["timeZone"] = [$"'{request.TimeZone}' is not an IANA time zone such as 'Europe/Paris'."],
            });
        }

        var user = await db.Users.FindAsync([principal.GetUserId()], cancellationToken);
        if (user is null)
            return TypedResults.NotFound();
        user.TimeZone = zone.Id;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ProfileResponse(user.Id, user.Email, user.TimeZone, user.CreatedAt));
    }
}
