using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using TaskFlow.Components.Accounts;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Accounts;

public static class Register
{
    public sealed record Request(string? Email, string? Password, string? TimeZone);

    public static async Task<Results<Created<ProfileResponse>, ValidationProblem>> Handle(
        Request request, TaskFlowDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = EmailAddress.Canonical(request.Email!),
            NormalizedEmail = EmailAddress.Normalize(request.Email!),
            PasswordHash = "",
            TimeZone = TimeZones.Find(request.TimeZone)?.Id ?? TimeZones.Default,
            CreatedAt = clock.GetUtcNowForStorage(),
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["email"] = ["An account with this e-mail address exists already."] },
                title: "The account could not be created.");
        }

        return TypedResults.Created("/api/v1/accounts/me", new ProfileResponse(user.Id, user.Email, user.TimeZone, user.CreatedAt));
    }

    private static Dictionary<string, string[]> Validate(Request request)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email is null ? null : EmailAddress.Canonical(request.Email);
        if (email is not null && EmailAddress.HasHiddenCharacters(email))
            errors["email"] = ["Must not contain invisible, control or text-direction characters."];
        else if (email is null || email.Length is < 3 or > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            errors["email"] = ["Must be an e-mail address such as 'ada@example.com'."];
        if (request.Password is null || request.Password.Length is < 8 or > 128)
            errors["password"] = ["Must be 8 to 128 characters long."];
        if (request.TimeZone is not null && TimeZones.Find(request.TimeZone) is null)
            errors["timeZone"] = [$"'{request.TimeZone}' is not an IANA time zone such as 'Europe/Paris'."];
        return errors;
    }
}
