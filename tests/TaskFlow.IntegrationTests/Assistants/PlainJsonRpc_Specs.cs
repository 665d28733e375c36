using System.Net;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>
/// A client that is not the SDK's, as curl would be: JSON-RPC messages POSTed to /mcp, answers read from the
/// server-sent event stream. The server keeps no session (stateless), so no Mcp-Session-Id is needed or given.
/// </summary>
public sealed class When_a_plain_JSON_RPC_client_calls : SignedInSpec
{
    private const string ProtocolVersion = "2025-11-25";

    [Test]
    public async Task Should_initialize_list_the_tools_and_create_a_task()
    {
        var initialized = await PostAsync(new
        {
            jsonrpc = "2.0", id = 1, method = "initialize",
            @params = new { protocolVersion = ProtocolVersion, capabilities = new { }, clientInfo = new { name = "curl", version = "8" } },
        });
        Assert.That(initialized.Headers.Contains("Mcp-Session-Id"), Is.False, "a stateless server gives no session");
        var server = (await ReadAnswerAsync(initialized)).GetProperty("result");
        Assert.That(server.GetProperty("protocolVersion").GetString(), Is.EqualTo(ProtocolVersion));
        Assert.That(server.GetProperty("serverInfo").GetProperty("name").GetString(), Is.EqualTo("taskflow"));
        Assert.That(server.GetProperty("capabilities").TryGetProperty("tools", out _), Is.True);

        var notified = await PostAsync(new { jsonrpc = "2.0", method = "notifications/initialized" });
        Assert.That(notified.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var tools = (await ReadAnswerAsync(await PostAsync(new { jsonrpc = "2.0", id = 2, method = "tools/list" }))).GetProperty("result").GetProperty("tools");
        Assert.That(tools.EnumerateArray().Select(t => t.GetProperty("name").GetString()), Does.Contain("create_task"));

        var called = (await ReadAnswerAsync(await PostAsync(new
        {
            jsonrpc = "2.0", id = 3, method = "tools/call",
            @params = new { name = "create_task", arguments = new { title = "From curl", tags = new[] { "cli" } } },
        }))).GetProperty("result");
        Assert.That(called.TryGetProperty("isError", out var isError) && isError.GetBoolean(), Is.False, called.ToString());
        var task = called.GetProperty("structuredContent");
        Assert.That(JsonDocument.Parse(called.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement.GetProperty("id").GetString(),
            Is.EqualTo(task.Id()));
        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}")).GetProperty("title").GetString(), Is.EqualTo("From curl"));
    }

    [Test]
    public async Task Should_refuse_half_a_surrogate_pair_naming_where_it_is_and_store_nothing()
    {
        // Written as JSON text: a serializer would have replaced the lone half with U+FFFD before it left.
        const string call = """
            {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_task","arguments":{"title":"Fine","tags":["ok","half \ud800"]}}}
            """;
        var answer = await ReadAnswerAsync(await PostAsync(call));

        Assert.That(answer.TryGetProperty("error", out var error), Is.True, answer.ToString());
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(-32602), "invalid params");
        Assert.That(error.GetProperty("message").GetString(), Does.StartWith("arguments.tags[1]: Must not contain"));
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).Titles(), Is.Empty);
    }

    private Task<HttpResponseMessage> PostAsync(object message) => PostAsync(JsonSerializer.Serialize(message));

    private Task<HttpResponseMessage> PostAsync(string message) => User.PostJsonRpcAsync(message, ProtocolVersion);

    /// <summary>The JSON-RPC answer: the body itself when JSON, else the data of the event stream's message.</summary>
    private static async Task<JsonElement> ReadAnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
            return JsonDocument.Parse(body).RootElement.Clone();
        var data = body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim())
            .Single(line => line.StartsWith('{'));
        return JsonDocument.Parse(data).RootElement.Clone();
    }
}
