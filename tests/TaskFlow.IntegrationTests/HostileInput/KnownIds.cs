using System.Globalization;
using System.Text.Json;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// Every id the run has seen in an answer, the user's own and the other user's alike: forged ids are the ones that exist.
/// Gathered from any JSON answer by the shape of its properties (<c>id</c>, <c>…Id</c>), so a new resource's ids join in.
/// The other user's are also kept apart: no request of this user may succeed with one of them in its path.
/// </summary>
public sealed class KnownIds
{
    private const int Keep = 400;
    private readonly List<Guid> guids = [];
    private readonly List<long> numbers = [];
    private readonly List<string> emails = [];

    public IReadOnlyList<Guid> Guids => guids;
    public IReadOnlyList<long> Numbers => numbers;
    public IReadOnlyList<string> Emails => emails;

    /// <summary>Ids read as the other user, and ids made up that no answer ever gave.</summary>
    public HashSet<string> NotTheUsers { get; } = [];

    /// <summary>Gathers the ids of what the other user reads.</summary>
    public void GatherTheirs(JsonElement element)
    {
        var theirs = new KnownIds();
        theirs.Gather(element);
        NotTheUsers.UnionWith(theirs.guids.Select(g => g.ToString()));
        NotTheUsers.UnionWith(theirs.numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        Gather(element);
    }

    public void Gather(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (IsId(property.Name) && property.Value.ValueKind == JsonValueKind.String
                        && Guid.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, out var guid))
                        Add(guids, guid);
                    else if (IsId(property.Name) && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var number))
                        Add(numbers, number);
                    else if (property.Name == "email" && property.Value.ValueKind == JsonValueKind.String)
                        Add(emails, property.Value.GetString()!);
                    else
                        Gather(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Gather(item);
                break;
        }
    }

    private static bool IsId(string name) => name == "id" || name.EndsWith("Id", StringComparison.Ordinal);

    private static void Add<T>(List<T> list, T value)
    {
        // The first ids seen (the other user's, read before the run) are kept; later ones only while there is room.
        if (list.Count < Keep && !list.Contains(value))
            list.Add(value);
    }
}
