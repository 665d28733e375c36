using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Assistants;

/// <summary>
/// Tool calls are held to the API's bound on writes like the REST calls they stand for: beyond it, refused at once
/// with 503 and Retry-After, and a refused call leaves nothing behind.
/// </summary>
[NonParallelizable]
public sealed class When_tool_calls_arrive_beyond_the_apis_capacity
{
    private const int Callers = 16;

    [Test]
    public async Task Should_refuse_the_excess_with_503_and_retry_after_and_create_only_what_it_answered()
    {
        await using var broker = await TestVirtualHost.CreateAsync("mcp-overload");
        await using var api = new TaskFlowApiFactory(IntegrationSetup.Database.ConnectionString, broker.ConnectionString, settings: new Dictionary<string, string>
        {
            ["Overload:Writes:PermitLimit"] = "1",
            ["Overload:Writes:QueueLimit"] = "0",
        });
        using var user = await api.NewUserAsync();
        var answers = new ConcurrentBag<HttpResponseMessage>();

        await Eventually.MatchesAsync(async () =>
        {
            var round = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => CreateAsync(user, $"Flood {answers.Count + i}")));
            foreach (var answer in round)
                answers.Add(answer);
            return answers.Count(a => a.StatusCode == HttpStatusCode.ServiceUnavailable);
        }, refused => refused > 0, TimeSpan.FromSeconds(20), "a tool call refused for overload");

        var refusals = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.StatusCode).Distinct(), Is.SubsetOf(new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
            Assert.That(refusals.Select(a => a.Headers.RetryAfter?.Delta), Has.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(refusals.Select(a => a.Content.Headers.ContentType?.MediaType), Has.All.EqualTo("application/problem+json"));
        });
        var listed = await user.GetJsonAsync($"{TaskApi.Tasks}?limit=100");
        Assert.That(listed.Titles(), Has.Count.EqualTo(answers.Count(a => a.StatusCode == HttpStatusCode.OK)), "a task for each call taken on, none for a refused one");
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient user, string title) => user.PostJsonRpcAsync(JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = "create_task", arguments = new { title } },
    }));
}
