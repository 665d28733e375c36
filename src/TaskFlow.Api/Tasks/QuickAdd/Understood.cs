using System.Text.RegularExpressions;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>One phrase a reader understood, where it stands in the text, and what it was taken to mean.</summary>
internal sealed record Understood(int Index, string Kind, string Text, string Meaning)
{
    public Understood(Match match, string kind, string meaning) : this(match.Index, kind, match.Value, meaning)
    {
    }

    public QuickAddUnderstood ToResponse() => new(Kind, Text, Meaning);
}
