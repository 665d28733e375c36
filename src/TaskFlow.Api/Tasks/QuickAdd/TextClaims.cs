using System.Text.RegularExpressions;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>
/// The spans of a quick-add text that a reader understood. Each span is read once, by the first reader that claims
/// it; what no reader claims is the title, as typed.
/// </summary>
internal sealed class TextClaims(string text)
{
    private readonly List<(int Start, int End)> claimed = [];

    public string Text { get; } = text;

    /// <summary>The first match of <paramref name="pattern"/> that overlaps no claim and that <paramref name="accept"/> takes.</summary>
    public Match? ClaimFirst(Regex pattern, Func<Match, bool> accept)
    {
        foreach (Match match in pattern.Matches(Text))
        {
            if (IsFree(match) && accept(match))
            {
                claimed.Add((match.Index, match.Index + match.Length));
                return match;
            }
        }
        return null;
    }

    /// <summary>Every match that overlaps no claim and that <paramref name="accept"/> takes.</summary>
    public List<Match> ClaimAll(Regex pattern, Func<Match, bool> accept)
    {
        var matches = new List<Match>();
        while (ClaimFirst(pattern, accept) is { } match)
            matches.Add(match);
        return matches;
    }

    /// <summary>
    /// The text without its claims. Where a claim is cut out, the words either side meet with one space; spacing
    /// anywhere else stays as typed.
    /// </summary>
    public string Remainder()
    {
        var title = "";
        var position = 0;
        foreach (var (start, end) in claimed.OrderBy(c => c.Start))
        {
            title = Join(title, Text[position..start]);
            position = end;
        }
        return Join(title, Text[position..]).Trim();
    }

    private static string Join(string left, string right)
    {
        if (left.Length == 0)
            return right;
        var (l, r) = (left.TrimEnd(), right.TrimStart());
        return l.Length == 0 || r.Length == 0 ? l + r : $"{l} {r}";
    }

    private bool IsFree(Match match) =>
        match.Length > 0 && claimed.All(c => match.Index >= c.End || match.Index + match.Length <= c.Start);
}
