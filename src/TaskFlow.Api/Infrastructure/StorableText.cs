using System.Buffers;
using System.Text;

namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// Text the API can keep: PostgreSQL refuses U+0000 in text (22021) and UTF-8 has no form for half a surrogate pair,
/// so either would fail at the database long after the request was accepted. Requests are checked as they are read:
/// JSON strings by <see cref="StorableStringConverter"/>, query strings and route values by <see cref="StorableRequest"/>.
/// </summary>
public static class StorableText
{
    public const string Problem = "Must not contain the character U+0000 or half of a surrogate pair.";

    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
            return false;
        // Surrogates are rare; only text holding one is decoded to find an unpaired half.
        int at;
        while ((at = text.IndexOfAnyInRange('\ud800', '\udfff')) >= 0)
        {
            if (Rune.DecodeFromUtf16(text[at..], out _, out var used) != OperationStatus.Done)
                return false;
            text = text[(at + used)..];
        }
        return true;
    }
}
