using System.Globalization;
using System.Text;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// A generated JSON body, kept as a tree so that one that was accepted can be sent again with one part made hostile.
/// Written by hand: a serializer refuses what a hostile client sends on purpose (lone surrogates, which are legal JSON
/// escapes but not UTF-16), and the body must say exactly what was generated.
/// </summary>
public sealed class Json
{
    private readonly string? text;
    private readonly IReadOnlyList<(string Name, Json Value)>? members;
    private readonly IReadOnlyList<Json>? items;

    private Json(string? text, IReadOnlyList<(string, Json)>? members, IReadOnlyList<Json>? items)
    {
        this.text = text;
        this.members = members;
        this.items = items;
    }

    /// <summary>A value written as it is: a number, a literal, a string already quoted, or any text at all.</summary>
    public static Json Raw(string text) => new(text, null, null);

    public static Json Quoted(string value) => Raw(Quote(value));

    public static Json Members(IReadOnlyList<(string Name, Json Value)> members) => new(null, members, null);

    public static Json Items(IReadOnlyList<Json> items) => new(null, null, items);

    /// <summary>How many values the tree holds, itself included: the places a mutation can hit.</summary>
    public int Size => 1 + (members?.Sum(m => m.Value.Size) ?? 0) + (items?.Sum(i => i.Size) ?? 0);

    /// <summary>This tree with its <paramref name="place"/>th value (in document order, 0 being the whole) replaced.</summary>
    public Json With(int place, Func<Json, Json> replacement)
    {
        if (place == 0)
            return replacement(this);
        place--;
        if (members is not null)
        {
            var changed = new List<(string, Json)>();
            foreach (var (name, value) in members)
            {
                changed.Add((name, place >= 0 && place < value.Size ? value.With(place, replacement) : value));
                place -= value.Size;
            }
            return Members(changed);
        }
        if (items is not null)
        {
            var changed = new List<Json>();
            foreach (var item in items)
            {
                changed.Add(place >= 0 && place < item.Size ? item.With(place, replacement) : item);
                place -= item.Size;
            }
            return Items(changed);
        }
        return this;
    }

    public override string ToString() =>
        text ?? (members is not null
            ? "{" + string.Join(",", members.Select(m => $"{Quote(m.Name)}:{m.Value}")) + "}"
            : "[" + string.Join(",", items!) + "]");

    /// <summary>A JSON string; every character outside printable ASCII as a \u escape, so a lone surrogate survives.</summary>
    public static string Quote(string value)
    {
        var json = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                json.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~')
                json.Append(c);
            else
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return json.Append('"').ToString();
    }
}
