using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A host's meters as an operator's collector reads them (TaskFlow's, MassTransit's, Npgsql's), through an in-memory
/// exporter. The instruments of MassTransit and Npgsql are static, so a host in this process also reads what other
/// hosts in it measured.
/// </summary>
public sealed class HostMetrics
{
    /// <summary>Consumes that were a retry of an earlier attempt (MassTransit).</summary>
    public const string ConsumeRetries = "messaging.masstransit.consume.retries";

    /// <summary>Consumes, first attempts and retries alike (MassTransit).</summary>
    public const string Consumes = "messaging.masstransit.consume";

    /// <summary>Waits for a pooled connection that ended in a timeout: the pool was exhausted (Npgsql).</summary>
    public const string PoolTimeouts = "db.client.connection.npgsql.timeouts";

    private readonly ExportedCollection<MetricSnapshot> exported = new();

    public ExportedCollection<MetricSnapshot> Exported => exported;

    /// <summary>Turns the host's telemetry on and hands its readings here.</summary>
    public void AddTo(IHostApplicationBuilder host)
    {
        host.Configuration["Telemetry:Enabled"] = "true";
        host.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
    }

    /// <summary>What the host's meters read now (cumulative since it started).</summary>
    public List<MetricSnapshot> Collect(IServiceProvider host) => Collect(host, exported);

    public static List<MetricSnapshot> Collect(IServiceProvider host, ExportedCollection<MetricSnapshot> exported)
    {
        exported.Clear();
        Assert.That(host.GetRequiredService<MeterProvider>().ForceFlush(10_000), Is.True, "metrics collected");
        return [.. exported.Snapshot()];
    }

    public static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints);

    public static double Gauge(IEnumerable<MetricSnapshot> metrics, string name) =>
        Points(metrics, name).Select(p => p.GetGaugeLastValueDouble()).DefaultIfEmpty(double.NaN).Max();

    public static long Sum(IEnumerable<MetricSnapshot> metrics, string name) => Points(metrics, name).Sum(p => p.GetSumLong());

    /// <summary>Npgsql's limit of connections, summed over the pools of one database (so 0 means none of its pools was read).</summary>
    public const string PoolMaximum = "db.client.connection.max";

    /// <summary>
    /// An Npgsql instrument read for the pools of one database only: its instruments are static, so the assembly's
    /// shared hosts, on a database of their own, are read too. A pool is named by its connection string (without the password).
    /// </summary>
    public static long SumForDatabase(IEnumerable<MetricSnapshot> metrics, string name, string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        return Points(metrics, name).Where(p => DatabaseOf(p) == database).Sum(p => p.GetSumLong());
    }

    private static string? DatabaseOf(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == "db.client.connection.pool.name" && tag.Value is string pool)
                return new NpgsqlConnectionStringBuilder(pool).Database;
        }

        return null;
    }

    public static long HistogramCount(IEnumerable<MetricSnapshot> metrics, string name) => Points(metrics, name).Sum(p => p.GetHistogramCount());

    public static double HistogramSum(IEnumerable<MetricSnapshot> metrics, string name) => Points(metrics, name).Sum(p => p.GetHistogramSum());
}
