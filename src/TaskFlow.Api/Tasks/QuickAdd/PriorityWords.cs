using System.Text.RegularExpressions;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// "!high", "!medium", "!low", "!none", or "p1" (high), "p2" (medium), "p3" (low), "p4" (none), as a word of its own.
/// The first one counts; a second stays in the title, where the preview shows it was not read.
/// </summary>
internal static partial class PriorityWords
{
    public static (string Priority, Understood Read)? Read(TextClaims text)
    {
        if (text.ClaimFirst(Priority(), _ => true) is not { } match)
            return null;
        var priority = match.Groups["word"].Success
            ? match.Groups["word"].Value.ToLowerInvariant()
            : match.Groups["p"].Value switch { "1" => "high", "2" => "medium", "3" => "low", _ => "none" };
        var meaning = priority == "none" ? "No priority" : $"{char.ToUpperInvariant(priority[0])}{priority[1..]} priority";
        return (priority, new Understood(match, "priority", meaning));
    }

    [GeneratedRegex(@"(?<!\S)(?:!(?<word>high|medium|low|none)|p(?<p>[1-4]))(?!\S)", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Priority();
}
