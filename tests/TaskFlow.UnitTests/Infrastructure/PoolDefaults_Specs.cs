using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using TaskFlow.Components.Data;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Testing;

namespace TaskFlow.UnitTests.Infrastructure;

public class When_the_hosts_take_their_connection_settings
{
    private const string Given = "Host=127.0.0.1;Database=taskflow;Username=taskflow;Password=taskflow";

    [Test]
    public void Should_bound_the_pool_and_leave_connections_unreset()
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults(Given, maxPoolSize: 7));
        Assert.Multiple(() =>
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(7));
            Assert.That(settings.NoResetOnClose, Is.True, "no DISCARD ALL, a transaction of its own, on every use");
            Assert.That(settings.MaxAutoPrepare, Is.Zero, "no automatic preparing (npgsql/npgsql#6391)");
        });
    }

    [TestCase("Maximum Pool Size=3;No Reset On Close=false")]
    [TestCase("MaxPoolSize=3;NoResetOnClose=false")]
    public void Should_keep_what_the_connection_string_says(string own)
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults($"{Given};{own}", maxPoolSize: 7));
        Assert.Multiple(() =>
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(3));
            Assert.That(settings.NoResetOnClose, Is.False);
        });
    }

    [Test]
    public void Should_provision_max_connections_for_up_bench_and_test_side_by_side()
    {
        // docs/operations.md, "Connection budget": each system's API and worker at the largest default pool, the
        // worker's Quartz store, the benchmark's own queries, one spec's hosts at a time, the superuser reserve.
        var system = 2 * DataExtensions.LargestDefaultPoolSize + new TaskFlowSchedulerOptions().StoreMaxPoolSize;
        const int BenchQueries = 8, TestSuite = 140, SuperuserReserved = 3;
        var provisioned = Provisioned("infra/taskflow.sh", @"^PG_MAX_CONNECTIONS=(\d+)$");
        Assert.Multiple(() =>
        {
            Assert.That(DataExtensions.DefaultMaxPoolSize, Is.InRange(16, DataExtensions.LargestDefaultPoolSize));
            Assert.That(provisioned, Is.GreaterThanOrEqualTo(system + system + BenchQueries + TestSuite + SuperuserReserved));
            Assert.That(Provisioned("docker-compose.yml", @"max_connections=(\d+)"), Is.EqualTo(provisioned), "docker compose provisions the same");
        });
    }

    private static int Provisioned(string file, string pattern)
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, file)), pattern, RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"{file} sets max_connections");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
