using System.Text.RegularExpressions;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// "#home": a hash that starts a word, then letters, digits, '_', '-' or '/', at least one of them a letter. So "C#"
/// (the hash ends a word) and "issue #42" (a number) stay in the title.
/// </summary>
internal static partial class TagWords
{
    public static List<(string Tag, Understood Read)> Read(TextClaims text) =>
        text.ClaimAll(Tag(), _ => true)
            .Select(match => Tagged(match, match.Groups["tag"].Value.ToLowerInvariant()))
            .ToList();

    // Tags compare case-insensitively and are stored lower-case, so the preview shows them so.
    private static (string Tag, Understood Read) Tagged(Match match, string tag) => (tag, new Understood(match, "tag", $"Tag '{tag}'"));

    [GeneratedRegex(@"(?<!\S)#(?<tag>[\p{L}\p{N}_/-]*\p{L}[\p{L}\p{N}_/-]*)", RegexOptions.ExplicitCapture)]
    private static partial Regex Tag();
}
