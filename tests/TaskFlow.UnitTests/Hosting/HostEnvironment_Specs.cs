using System.Text.RegularExpressions;
using TaskFlow.Testing;

namespace TaskFlow.UnitTests.Hosting;

/// <summary>
/// Every way of starting the hosts names the same ASP.NET Core environment, so that what a newcomer runs with
/// `infra/taskflow.sh up` is what the benchmark measures and what docker compose and Kubernetes deploy.
/// </summary>
public partial class When_the_hosts_are_started
{
    [Test]
    public void Should_run_up_in_the_environment_the_benchmark_measures() =>
        Assert.That(EnvironmentOf("infra/lib/hosts.sh", UpDefault()), Is.EqualTo(EnvironmentOf("tests/TaskFlow.Benchmarks/TaskFlowSystem.cs", Benchmark())),
            "infra/taskflow.sh up and the benchmark run the hosts in different environments");

    [Test]
    public void Should_deploy_in_that_environment_too()
    {
        var benchmark = EnvironmentOf("tests/TaskFlow.Benchmarks/TaskFlowSystem.cs", Benchmark());

        Assert.That(EnvironmentOf("docker-compose.yml", ComposeDefault()), Is.EqualTo(benchmark), "docker compose");
        Assert.That(EnvironmentOf("infra/k8s/base/kustomization.yaml", Kubernetes()), Is.EqualTo(benchmark), "Kubernetes");
    }

    private static string EnvironmentOf(string file, Regex setting)
    {
        var matches = setting.Matches(File.ReadAllText(Path.Combine(Repository.Root, file)));
        Assert.That(matches, Has.Count.EqualTo(1), $"{file} should set ASPNETCORE_ENVIRONMENT once, as {setting}");
        return matches[0].Groups["name"].Value;
    }

    [GeneratedRegex("""export ASPNETCORE_ENVIRONMENT="\$\{ASPNETCORE_ENVIRONMENT:-(?<name>\w+)\}"$""", RegexOptions.Multiline)]
    private static partial Regex UpDefault();

    [GeneratedRegex("""\["ASPNETCORE_ENVIRONMENT"\] = "(?<name>\w+)",""")]
    private static partial Regex Benchmark();

    [GeneratedRegex("""ASPNETCORE_ENVIRONMENT: "\$\{ASPNETCORE_ENVIRONMENT:-(?<name>\w+)\}"$""", RegexOptions.Multiline)]
    private static partial Regex ComposeDefault();

    [GeneratedRegex("""- ASPNETCORE_ENVIRONMENT=(?<name>\w+)$""", RegexOptions.Multiline)]
    private static partial Regex Kubernetes();
}
