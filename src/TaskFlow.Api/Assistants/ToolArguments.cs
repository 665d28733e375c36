using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskFlow.Api.Assistants;

/// <summary>
/// Checks a tool call's arguments before the tool runs, answering a tool error that names each wrong one, as REST's
/// 400 names each field: the SDK's own binding would fail with a message that names none ("An error occurred
/// invoking ..."). Checked: that each argument is one the tool has and of the type its input schema states, that the
/// required ones are there, and that no text holds what PostgreSQL cannot store (REST checks that as it reads a body,
/// <see cref="StorableStringConverter"/>, but tool arguments are read by the SDK).
/// </summary>
internal static class ToolArguments
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Check(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (context, cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            var arguments = context.Params?.Arguments ?? new Dictionary<string, JsonElement>();
            if (context.MatchedPrimitive is McpServerTool tool)
                CheckObject("", arguments, tool.ProtocolTool.InputSchema, errors);
            foreach (var (name, value) in arguments)
                CheckStorable(IsStorable(() => name) ? name : "arguments", value, errors);
            return errors.Count == 0 ? next(context, cancellationToken) : ValueTask.FromResult(ToolResults.Invalid(errors));
        };

    private static void CheckObject(string path, IEnumerable<KeyValuePair<string, JsonElement>> values, JsonElement schema, Dictionary<string, string[]> errors)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var given = values.ToDictionary(v => v.Key, v => v.Value);
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!given.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                    errors[Join(path, name)] = ["Is required."];
            }
        }
        foreach (var (name, value) in given)
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var propertySchema))
                errors[Join(path, name)] = [$"Is not an argument here; the ones there are: {Names(properties)}."];
            else
                CheckValue(Join(path, name), value, propertySchema, errors);
        }
    }

    private static void CheckValue(string path, JsonElement value, JsonElement schema, Dictionary<string, string[]> errors)
    {
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
        if (types.Count > 0 && !types.Any(t => Is(value, t)))
        {
            errors[path] = [$"Must be {string.Join(" or ", types.Select(Article))}."];
            return;
        }
        if (value.ValueKind == JsonValueKind.Object)
            CheckObject(path, value.EnumerateObject().Select(v => KeyValuePair.Create(v.Name, v.Value)), schema, errors);
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
                CheckValue($"{path}[{index++}]", item, items, errors);
        }
    }

    private static void CheckStorable(string path, JsonElement value, Dictionary<string, string[]> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when !IsStorable(value.GetString):
                errors[path] = [StorableText.Problem];
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    CheckStorable($"{path}[{index++}]", item, errors);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                    CheckStorable(IsStorable(() => property.Name) ? Join(path, property.Name) : path, property.Value, errors);
                break;
        }
    }

    private static bool IsStorable(Func<string?> read)
    {
        try
        {
            return StorableText.IsStorable(read());
        }
        catch (InvalidOperationException)
        {
            // Half a surrogate pair, escaped in the JSON text, cannot even be read as a string.
            return false;
        }
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" => "a whole number",
        "array" => "an array",
        "object" => "an object",
        "null" => "null",
        "boolean" => "true or false",
        _ => $"a {type}",
    };

    private static string Names(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) : "none";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
