using System.Net;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>What an assistant sees when it connects to /mcp: the tools, each explained, and no way in without a token.</summary>
public sealed class When_an_assistant_connects : SignedInSpec
{
    private static readonly string[] Tools =
    [
        "list_tasks", "get_task", "create_task", "update_task", "complete_task", "reopen_task", "delete_task",
        "snooze_reminder", "preview_occurrences",
    ];

    [Test]
    public async Task Should_list_every_task_tool_with_a_description_and_each_argument_described()
    {
        await using var assistant = await Assistant.ConnectAsync(User);
        var tools = await assistant.ListToolsAsync();

        Assert.That(tools.Select(t => t.Name), Is.SupersetOf(Tools));
        Assert.Multiple(() =>
        {
            foreach (var tool in tools)
            {
                Assert.That(tool.Description, Has.Length.GreaterThan(40), tool.Name);
                var schema = tool.ProtocolTool.InputSchema;
                Assert.That(schema.GetProperty("type").GetString(), Is.EqualTo("object"), tool.Name);
                foreach (var argument in schema.GetProperty("properties").EnumerateObject())
                {
                    Assert.That(argument.Value.TryGetProperty("description", out var description) ? description.GetString() : null,
                        Is.Not.Null.And.Not.Empty, $"{tool.Name}.{argument.Name}");
                }
            }
        });
        var create = tools.Single(t => t.Name == "create_task").ProtocolTool.InputSchema;
        Assert.That(create.GetProperty("required").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "title" }));
        Assert.That(create.GetProperty("properties").GetProperty("due").GetProperty("properties").EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "dateTime", "date", "timeZone" }));
    }

    [Test]
    public async Task Should_refuse_a_request_without_a_token_as_the_API_does()
    {
        using var anonymous = IntegrationSetup.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Assistant.Path)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        var response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    [Test]
    public void Should_refuse_an_assistant_whose_token_is_not_valid()
    {
        using var forged = IntegrationSetup.Api.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        var refused = Assert.ThrowsAsync<HttpRequestException>(async () => await (await Assistant.ConnectAsync(forged)).DisposeAsync());
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
