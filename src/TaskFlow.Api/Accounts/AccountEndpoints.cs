namespace TaskFlow.Api.Accounts;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/api/v1/accounts").WithTags("Accounts");

        accounts.MapPost("/register", Register.Handle).RequireRateLimiting(AuthExtensions.AuthRateLimitPolicy)
            .WithSummary("Create an account").AllowAnonymous();
        accounts.MapPost("/login", Login.Handle).RequireRateLimiting(AuthExtensions.AuthRateLimitPolicy)
            .WithSummary("Exchange e-mail and password for a bearer token").AllowAnonymous();
        accounts.MapGet("/me", Profile.Get).RequireAuthorization().WithSummary("Your profile");
        accounts.MapPut("/me", Profile.Update).RequireAuthorization().WithSummary("Change your profile's time zone");
        return endpoints;
    }
}
