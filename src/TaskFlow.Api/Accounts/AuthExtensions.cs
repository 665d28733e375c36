using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.Components.Accounts;

namespace TaskFlow.Api.Accounts;

public static class AuthExtensions
{
    public const string AuthRateLimitPolicy = "auth";

    /// <summary>JWT bearer tokens signed with a shared key, Identity's password hasher, and a rate limit on login and register.</summary>
    public static IHostApplicationBuilder AddTaskFlowAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.SigningKeyBytes().Length >= 32, "Auth:SigningKey must be at least 32 bytes.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                // Nothing reads the token back from the authentication properties, and a hub connection would keep
                // that copy of it for as long as it stays open.
                jwt.SaveToken = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(auth.Value.SigningKeyBytes()),
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                // Browsers cannot set headers on a WebSocket, so SignalR sends the token as access_token; it is
                // taken from the query for the hub only, where no other credential can travel.
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"].ToString();
                        if (token.Length > 0 && context.Request.Path.StartsWithSegments(Notifications.NotificationHub.Path))
                            context.Token = token;
                        return Task.CompletedTask;
                    },
                    // A hub connection keeps its request's principal while it is open, hours for a browser tab, and the
                    // validated identity holds the parsed token (its JSON claim sets and a second copy of every claim):
                    // several KiB a connection for the one claim SignalR reads, the subject it addresses users by.
                    OnTokenValidated = context =>
                    {
                        if (context.Request.Path.StartsWithSegments(Notifications.NotificationHub.Path)
                            && context.Principal?.Identity is ClaimsIdentity { } identity
                            && identity.FindFirst(JwtRegisteredClaimNames.Sub) is { } subject)
                        {
                            context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                                [new Claim(JwtRegisteredClaimNames.Sub, subject.Value)], identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
                        }
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<TokenIssuer>();

        builder.Services.AddRateLimiter(options => options.AddPolicy<string, SignInRateLimitPolicy>(AuthRateLimitPolicy));
        return builder;
    }
}
