using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <param name="Json">The body as generated, when it is JSON at all.</param>
/// <param name="NotTheUsers">An id in the path is the other user's, or one that never existed.</param>
public sealed record ApiRequest(
    ApiOperation Operation, string Url, byte[]? Body, string? ContentType, string? IfMatch, Json? Json = null, bool NotTheUsers = false)
{
    /// <summary>The request as a failure message shows it: control and invisible characters spelled out, long values cut.</summary>
    public string Excerpt()
    {
        var text = new StringBuilder($"{Operation.Method} {Cut(Url, 240)}");
        if (IfMatch is not null)
            text.Append(CultureInfo.InvariantCulture, $" If-Match: {Visible(IfMatch)}");
        if (ContentType is not null)
            text.Append(CultureInfo.InvariantCulture, $" Content-Type: {ContentType}");
        if (Body is not null)
            text.Append(CultureInfo.InvariantCulture, $" body ({Body.Length} bytes): {Cut(Visible(Encoding.UTF8.GetString(Body)), 400)}");
        return text.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..max]}…";

    private static string Visible(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));
}

/// <summary>
/// Builds a request for any operation from its OpenAPI description: route values (mostly ids that exist, the other
/// user's among them), query strings and a body from the schema. Each request has a hostility: the chance that any one
/// value in it is hostile; the other values are plausible, so that checks past the first field are reached. Half the
/// bodies are instead one the API accepted earlier with one value made hostile: the surest way past every other check.
/// </summary>
public sealed class RequestGenerator(ApiDocument document, KnownIds ids, PCG random)
{
    private const int KeepAccepted = 50;
    private const int MaxDepth = 6;
    private const int MaxQueryValue = 8 * 1024;
    private static readonly Gen<double> Hostility = Gen.OneOf(0.0, 0.1, 0.25, 0.25, 0.5, 1.0);
    private readonly Dictionary<ApiOperation, List<Json>> accepted = [];

    public ApiRequest Next(ApiOperation operation)
    {
        var hostility = Draw(Hostility);
        byte[]? body = null;
        string? contentType = null;
        Json? json = null;
        if (operation.Body is { } schema)
        {
            json = accepted.TryGetValue(operation, out var earlier) && Chance(0.5)
                ? Mutate(earlier[(int)random.Next((uint)earlier.Count)])
                : Value(schema, "body", hostility, 0);
            if (Chance(0.05))
            {
                body = Draw(HostileValues.BrokenBody);
                json = null;
            }
            else
            {
                body = Encoding.UTF8.GetBytes(json.ToString());
            }
            contentType = Chance(0.08) ? Draw(HostileValues.ContentType) : "application/json";
        }
        var ifMatch = operation.Method != "GET" && Chance(0.25) ? Draw(HostileValues.IfMatch) : null;
        var (url, notTheUsers) = Url(operation, hostility);
        return new ApiRequest(operation, url, body, contentType, ifMatch, json, notTheUsers);
    }

    /// <summary>Keeps a body the API accepted, to send again with one value made hostile.</summary>
    public void Accepted(ApiRequest request)
    {
        if (request.Json is null)
            return;
        var bodies = accepted.TryGetValue(request.Operation, out var list) ? list : accepted[request.Operation] = [];
        if (bodies.Count < KeepAccepted)
            bodies.Add(request.Json);
    }

    /// <summary>
    /// One value replaced: often by a hostile one of the same shape (a date by a date at the edge of the calendar, a rule
    /// by a broken rule), which passes the checks of shape and reaches those of meaning; else by any hostile value.
    /// </summary>
    private Json Mutate(Json body) => body.With((int)random.Next((uint)body.Size), accepted =>
        Chance(0.5) ? Json.Quoted(Draw(HostileValues.Like(accepted.ToString())))
        : Chance(0.6) ? Json.Quoted(Draw(HostileValues.Text))
        : Json.Raw(Draw(HostileValues.JsonValue)));

    private (string Url, bool NotTheUsers) Url(ApiOperation operation, double hostility)
    {
        var path = operation.Path;
        var notTheUsers = false;
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            var value = RouteValue(parameter);
            notTheUsers |= ids.NotTheUsers.Contains(value);
            path = path.Replace($"{{{parameter.Name}}}", UrlEncode(value), StringComparison.Ordinal);
        }

        var query = new List<string>();
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            if (Chance(0.5))
                continue;
            var value = Chance(Math.Max(hostility, 0.2)) || PlausibleValues.For(parameter.Name, ids) is not { } plausible
                ? Draw(HostileValues.Text)
                : Draw(plausible);
            query.Add($"{parameter.Name}={UrlEncode(Cap(value))}");
            if (Chance(0.05))
                query.Add($"{parameter.Name}={UrlEncode(Cap(Draw(HostileValues.Text)))}");
        }
        return (query.Count == 0 ? path : $"{path}?{string.Join('&', query)}", notTheUsers);
    }

    /// <summary>Ids that exist (the user's or the other user's), ids that never did, and strings that are no id at all.</summary>
    private string RouteValue(ApiParameter parameter)
    {
        var format = parameter.Schema.ValueKind == JsonValueKind.Object && parameter.Schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (format == "uuid" && ids.Guids.Count > 0 && Chance(0.75))
            return ids.Guids[(int)random.Next((uint)ids.Guids.Count)].ToString();
        if (format == "uuid" && Chance(0.5))
            return MadeUp(Draw(Gen.Guid).ToString());
        if (format is "int64" or "int32" && ids.Numbers.Count > 0 && Chance(0.6))
            return ids.Numbers[(int)random.Next((uint)ids.Numbers.Count)].ToString(CultureInfo.InvariantCulture);
        if (format is "int64" or "int32" && Chance(0.5))
            return MadeUp(Draw(HostileValues.NumericId));
        // Without NUL: Kestrel refuses a path holding one before the API sees it, and the test server throws instead.
        return Cap(Draw(HostileValues.Text)).Replace("\0", "", StringComparison.Ordinal);
    }

    /// <summary>An id no answer gave, so not the user's: unless it is one after all (a small number may be).</summary>
    private string MadeUp(string id)
    {
        if (!ids.Guids.Any(g => g.ToString() == id) && !ids.Numbers.Any(n => n.ToString(CultureInfo.InvariantCulture) == id))
            ids.NotTheUsers.Add(id);
        return id;
    }

    /// <summary>A URL carries kilobytes, not the megabyte a body may try.</summary>
    private static string Cap(string value) => value.Length > MaxQueryValue ? value[..MaxQueryValue] : value;

    /// <summary>JSON text for <paramref name="schema"/>; <paramref name="name"/> is the property (or, for items, the array) it fills.</summary>
    private Json Value(JsonElement schema, string name, double hostility, int depth)
    {
        if (Chance(hostility) || depth > MaxDepth)
            return Json.Raw(Draw(HostileValues.JsonValue));
        schema = document.Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
            return Json.Raw("{}");
        if (schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices))
        {
            var concrete = choices.EnumerateArray().Where(c => !Types(document.Resolve(c)).SequenceEqual(["null"])).ToList();
            return concrete.Count == 0 ? Json.Raw("null") : Value(concrete[(int)random.Next((uint)concrete.Count)], name, hostility, depth);
        }
        if (schema.TryGetProperty("enum", out var values))
            return Json.Raw(Draw(Gen.OneOf(values.EnumerateArray().Select(v => v.GetRawText()).ToArray())));

        var types = Types(schema);
        if (types.Contains("object") || schema.TryGetProperty("properties", out _))
            return Object(schema, hostility, depth);
        if (types.Contains("array"))
        {
            var items = schema.TryGetProperty("items", out var itemSchema) ? itemSchema : default;
            return Json.Items([.. Enumerable.Range(0, (int)random.Next(4)).Select(_ => Value(items, name, hostility, depth + 1))]);
        }
        var plausible = PlausibleValues.For(name, ids) is { } known ? Draw(known) : null;
        if (types.Contains("integer") || types.Contains("number"))
            return Json.Raw(long.TryParse(plausible, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : "1");
        if (types.Contains("boolean"))
            return Json.Raw(Chance(0.5) ? "true" : "false");
        if (plausible is not null)
            return Json.Quoted(plausible);
        return schema.TryGetProperty("format", out var format) && format.GetString() == "uuid" && ids.Guids.Count > 0
            ? Json.Quoted(ids.Guids[(int)random.Next((uint)ids.Guids.Count)].ToString())
            : Json.Quoted("x");
    }

    /// <summary>Required properties always, the others most of the time, and now and then one the schema does not know.</summary>
    private Json Object(JsonElement schema, double hostility, int depth)
    {
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        var members = new List<(string, Json)>();
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (required.Contains(property.Name) || Chance(0.6))
                    members.Add((property.Name, Value(property.Value, property.Name, hostility, depth + 1)));
            }
        }
        if (Chance(hostility / 4))
            members.Add((Draw(HostileValues.Text), Json.Raw(Draw(HostileValues.JsonValue))));
        return Json.Members(members);
    }

    private static string[] Types(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    /// <summary>
    /// Percent-encodes the UTF-8 bytes of every character but the unreserved ones; a lone surrogate goes as the three
    /// bytes a careless encoder would write for it (not valid UTF-8), as a hostile client may.
    /// </summary>
    private static string UrlEncode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var rune in EnumerateWithLoneSurrogates(text))
        {
            foreach (var b in rune)
                encoded.Append(b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'
                    ? ((char)b).ToString()
                    : $"%{b:X2}");
        }
        return encoded.ToString();
    }

    private static IEnumerable<byte[]> EnumerateWithLoneSurrogates(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return Encoding.UTF8.GetBytes(text.Substring(i, 2));
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                yield return [(byte)(0xE0 | (text[i] >> 12)), (byte)(0x80 | ((text[i] >> 6) & 0x3F)), (byte)(0x80 | (text[i] & 0x3F))];
            }
            else
            {
                yield return Encoding.UTF8.GetBytes(text[i].ToString());
            }
        }
    }

    private T Draw<T>(Gen<T> gen) => gen.Generate(random, null!, out _);

    private bool Chance(double probability) => random.Next(1_000_000) < probability * 1_000_000;
}
