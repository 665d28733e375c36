using System.Net;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Operations;

public class When_an_operator_checks_the_api
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Should_report_healthy(string url)
    {
        using var client = IntegrationSetup.Api.CreateClient();

        // The bus connects in the background after start-up and the API reports Degraded (still 200) until it has: wait
        // for a settled answer, then judge it.
        var (status, body) = await Eventually.MatchesAsync(async () =>
            {
                using var response = await client.GetAsync(url);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }, answer => answer.Item2 != "Degraded", what: "a settled answer");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(body, Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Should_report_not_ready_when_postgresql_is_unreachable()
    {
        await using var api = new TaskFlowApiFactory("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2", IntegrationSetup.Broker.ConnectionString);
        api.SkipMigrations = true;
        using var client = api.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task Should_describe_every_task_route_in_the_openapi_document()
    {
        using var client = IntegrationSetup.Api.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/complete", "/api/v1/tasks/{id}/reopen",
            "/api/v1/accounts/register", "/api/v1/accounts/login", "/api/v1/accounts/me",
        }));
        Assert.That(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _), Is.True);
    }

    [Test]
    public async Task Should_describe_text_fields_and_parameters_as_strings()
    {
        using var client = IntegrationSetup.Api.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var task = document.GetProperty("components").GetProperty("schemas").GetProperty("TaskRequest").GetProperty("properties");
        var q = document.GetProperty("paths").GetProperty("/api/v1/tasks").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => string.Equals(p.GetProperty("name").GetString(), "q", StringComparison.OrdinalIgnoreCase));
        Assert.That(task.GetProperty("title").GetProperty("type").EnumerateArray().Select(t => t.GetString()), Is.EquivalentTo(new[] { "null", "string" }));
        Assert.That(task.GetProperty("tags").GetProperty("items").GetProperty("type").GetString(), Is.EqualTo("string"));
        Assert.That(q.GetProperty("schema").GetProperty("type").GetString(), Is.EqualTo("string"));
    }

    [Test]
    public async Task Should_serve_the_api_reference_page()
    {
        using var client = IntegrationSetup.Api.CreateClient();

        var response = await client.GetAsync("/scalar/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json"));
    }
}
