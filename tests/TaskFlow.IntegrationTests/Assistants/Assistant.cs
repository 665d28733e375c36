using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>An AI assistant's side: the MCP SDK's own client over Streamable HTTP, with the user's bearer token.</summary>
internal static class Assistant
{
    public const string Path = "/mcp";

    public static async Task<McpClient> ConnectAsync(HttpClient user)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(IntegrationSetup.Api.Server.BaseAddress, Path),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = user.DefaultRequestHeaders.Authorization!.ToString() },
            },
            IntegrationSetup.Api.CreateClient(), ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, object? arguments = null)
    {
        var json = JsonSerializer.SerializeToElement(arguments ?? new { });
        return await client.CallToolAsync(tool, json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value));
    }

    /// <summary>A call that must succeed: its structured content, which must be what its text says too.</summary>
    public static async Task<JsonElement> CallForAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.That(result.IsError, Is.Not.True, $"{tool}: {result.Text()}");
        Assert.That(result.StructuredContent, Is.Not.Null, $"{tool} answers structured content");
        Assert.That(JsonElement.DeepEquals(result.StructuredContent!.Value, JsonDocument.Parse(result.Text()).RootElement), Is.True,
            $"{tool}'s text is its structured content");
        return result.StructuredContent!.Value;
    }

    /// <summary>A call that must fail as a tool error (not a protocol error): what it says.</summary>
    public static async Task<string> CallForErrorAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.That(result.IsError, Is.True, $"{tool} was expected to fail: {result.Text()}");
        return result.Text();
    }

    /// <summary>One JSON-RPC message POSTed as a client that is not the SDK's would, curl for one, accepting either answer form.</summary>
    public static Task<HttpResponseMessage> PostJsonRpcAsync(this HttpClient user, string message, string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(message, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (protocolVersion is not null)
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        return user.SendAsync(request);
    }

    public static string Text(this CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
