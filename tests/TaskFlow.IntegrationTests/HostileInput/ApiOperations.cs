using System.Text.Json;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <param name="In">path or query.</param>
/// <param name="Schema">The parameter's schema, references resolved.</param>
public sealed record ApiParameter(string Name, string In, JsonElement Schema);

/// <summary>One path and method of the API as its OpenAPI document describes it.</summary>
/// <param name="Body">The JSON request body's schema, references resolved; null when the operation takes none.</param>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? Body)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Reads every operation out of the API's own OpenAPI 3.1 document, so what is fuzzed is whatever the API serves today.
/// Only the parts a request needs: parameters, the JSON body schema, and <c>$ref</c>s into the components.
/// </summary>
public sealed class ApiDocument(JsonElement root)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public IReadOnlyList<ApiOperation> Operations() =>
    [
        .. from path in root.GetProperty("paths").EnumerateObject()
           from method in path.Value.EnumerateObject()
           where Methods.Contains(method.Name)
           select new ApiOperation(method.Name.ToUpperInvariant(), path.Name, ParametersOf(path.Value, method.Value), BodyOf(method.Value)),
    ];

    /// <summary>Follows a <c>$ref</c> to the component it names; any other schema is itself.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    private List<ApiParameter> ParametersOf(JsonElement path, JsonElement operation)
    {
        IEnumerable<JsonElement> Declared(JsonElement holder) =>
            holder.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : [];
        return
        [
            .. Declared(path).Concat(Declared(operation)).Select(Resolve).Select(p => new ApiParameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var schema) ? Resolve(schema) : default)),
        ];
    }

    private JsonElement? BodyOf(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body)
        && Resolve(body).GetProperty("content").TryGetProperty("application/json", out var json)
        && json.TryGetProperty("schema", out var schema)
            ? Resolve(schema)
            : null;
}
