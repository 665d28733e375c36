using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Operations;

/// <summary>
/// The API reference is served by configuration, not by environment: `infra/taskflow.sh up` runs the hosts as
/// Production (as the benchmark and a deployment do) and still prints the reference's addresses.
/// </summary>
public class When_the_api_runs_as_production
{
    [TestCase("/openapi/v1.json")]
    [TestCase("/scalar/v1")]
    public async Task Should_serve_the_api_reference(string url)
    {
        await using var api = Production();
        using var client = api.CreateClient();

        var response = await client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
    }

    [TestCase("/openapi/v1.json")]
    [TestCase("/scalar/v1")]
    public async Task Should_not_serve_it_when_an_operator_turns_it_off(string url)
    {
        await using var api = Production(new Dictionary<string, string> { ["ApiReference:Enabled"] = "false" });
        using var client = api.CreateClient();

        var response = await client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), url);
    }

    private static WebApplicationFactory<Program> Production(IReadOnlyDictionary<string, string>? settings = null) =>
        new TaskFlowApiFactory(IntegrationSetup.Database.ConnectionString, IntegrationSetup.Broker.ConnectionString, settings: settings)
            .WithWebHostBuilder(host => host.UseEnvironment("Production"));
}
