using System.ComponentModel.DataAnnotations;
using System.Text;

namespace TaskFlow.Api.Accounts;

/// <summary>Bound from "Auth". Every API replica must share the signing key so that any of them accepts any token.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 key, as base64 or plain text; at least 32 bytes.</summary>
    [Required]
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "taskflow";
    public string Audience { get; set; } = "taskflow";
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
    public RateLimitOptions RateLimit { get; set; } = new();

    public byte[] SigningKeyBytes()
    {
        Span<byte> buffer = stackalloc byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) && written >= 32
            ? buffer[..written].ToArray()
            : Encoding.UTF8.GetBytes(SigningKey);
    }

    public sealed class RateLimitOptions
    {
        /// <summary>Login and register attempts allowed per client address per window.</summary>
        public int PermitLimit { get; set; } = 10;
        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    }
}
