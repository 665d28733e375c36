using System.Text.RegularExpressions;

namespace TaskFlow.Testing;

/// <summary>
/// Where a host started with "--urls http://127.0.0.1:0" listens, read from the line ASP.NET Core logs once Kestrel has
/// bound: the kernel picks a port that is free at that moment and the host holds it from then on. Choosing a free port
/// first and passing it on leaves a moment in which anything else on the machine may take it.
/// </summary>
public static partial class ListeningAddress
{
    public const string AnyPort = "http://127.0.0.1:0";

    /// <summary>The address in a "Now listening on: http://127.0.0.1:PORT" line (plain or JSON console), or null.</summary>
    public static Uri? Read(string? line) =>
        line is not null && Pattern().Match(line) is { Success: true } match ? new Uri(match.Groups["url"].Value + "/") : null;

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Pattern();
}
