using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskFlow.Api.Assistants;

/// <summary>
/// Half a surrogate pair escaped in a message's JSON ("\ud800") cannot be read as a string, so the SDK fails on it while
/// reading a request's parameters, before any tool or <see cref="ToolArguments"/> runs, and answers a bare "An error
/// occurred.". Found first here, it is answered as invalid parameters naming where it is.
/// </summary>
internal static class UnreadableText
{
    public static McpMessageHandler Refuse(McpMessageHandler next) =>
        (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcRequest { Params: { } parameters } && Find(parameters, "") is { } path)
                throw new McpProtocolException($"{(path.Length == 0 ? "params" : path)}: {StorableText.Problem}", McpErrorCode.InvalidParams);
            return next(context, cancellationToken);
        };

    private static string? Find(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject properties:
                foreach (var (name, value) in properties)
                {
                    if (Find(value, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                        return found;
                }
                return null;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (Find(items[i], $"{path}[{i}]") is { } found)
                        return found;
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    value.GetValue<string>();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }
            default:
                return null;
        }
    }
}
