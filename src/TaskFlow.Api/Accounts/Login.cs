using Microsoft.AspNetCore.Identity;
using TaskFlow.Components.Accounts;

namespace TaskFlow.Api.Accounts;

public static class Login
{
    public sealed record Request(string? Email, string? Password);

    // Hashing against a throw-away hash when the address is unknown keeps the answer time the same,
    // so response times do not reveal which addresses have accounts.
    private static readonly User Nobody = new() { Email = "", NormalizedEmail = "", PasswordHash = "", TimeZone = "UTC" };
    private static readonly string NobodysHash = new PasswordHasher<User>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, TaskFlowDbContext db, IPasswordHasher<User> hasher, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Email))
                errors["email"] = ["Is required."];
            if (string.IsNullOrEmpty(request.Password))
                errors["password"] = ["Is required."];
            return TypedResults.ValidationProblem(errors);
        }

        var normalized = EmailAddress.Normalize(request.Email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var verdict = hasher.VerifyHashedPassword(user ?? Nobody, user?.PasswordHash ?? NobodysHash, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The e-mail address or password is wrong.");

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password);
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(tokens.Issue(user));
    }
}
