using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.Components.Accounts;

namespace TaskFlow.Api.Accounts;

public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public TokenResponse Issue(User user)
    {
        var auth = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + auth.TokenLifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
            ]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "Bearer", (int)auth.TokenLifetime.TotalSeconds, expires);
    }
}
