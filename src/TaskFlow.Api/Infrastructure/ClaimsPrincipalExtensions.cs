using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskFlow.Api.Infrastructure;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The account id from the token's subject; endpoints behind RequireAuthorization always have one.</summary>
    public static Guid GetUserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The authenticated principal has no subject.");
}
