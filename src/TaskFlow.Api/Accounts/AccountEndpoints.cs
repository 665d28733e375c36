namespace TaskFlow.Api.Accounts;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/api/v1/accounts").WithTags("Accounts");

        accounts.MapPost("/register", Register.Handle).RequireRateLimiting(AuthExtensions.AuthRateLimitPolicy);
        accounts.MapPost("/login", Login.Handle).RequireRateLimiting(AuthExtensions.AuthRateLimitPolicy);
        accounts.MapGet("/me", Profile.Get).RequireAuthorization();
        accounts.MapPut("/me", Profile.Update).RequireAuthorization();
        return endpoints;
    }
}

public sealed record ProfileResponse(Guid Id, string Email, string TimeZone, DateTimeOffset CreatedAt);
