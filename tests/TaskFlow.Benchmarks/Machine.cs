using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Npgsql;
using TaskFlow.Testing;

namespace TaskFlow.Benchmarks;

/// <summary>What a run's figures were measured on: numbers mean little without it.</summary>
internal sealed record Machine(
    string Host,
    int Cores,
    string Cpu,
    double MemoryGiB,
    string Os,
    string Dotnet,
    string PostgreSql,
    string RabbitMq,
    string Erlang,
    IReadOnlyDictionary<string, string> Packages,
    string Commit,
    DateTimeOffset StartedAt)
{
    private static readonly string[] PackageAssemblies = ["MassTransit", "RabbitMQ.Client", "Quartz", "Npgsql", "Microsoft.EntityFrameworkCore"];

    public static async Task<Machine> DescribeAsync(TaskFlowSystem system, DateTimeOffset startedAt)
    {
        string postgres;
        await using (var connection = new NpgsqlConnection(system.Database))
        {
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SHOW server_version", connection);
            postgres = ((string)(await version.ExecuteScalarAsync())!).Split(' ')[0];
        }

        var amqp = new Uri(system.Broker);
        using var management = new HttpClient { BaseAddress = new Uri($"http://{amqp.Host}:15672/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        var overview = await management.GetFromJsonAsync<JsonElement>("overview");

        var hostFolder = Path.Combine(Repository.Root, "src", "TaskFlow.Api", "bin", "Release", "net10.0");
        var packages = PackageAssemblies.ToDictionary(name => name, name =>
            FileVersionInfo.GetVersionInfo(Path.Combine(hostFolder, $"{name}.dll")).ProductVersion?.Split('+')[0] ?? "?");

        return new Machine(
            Environment.MachineName,
            Environment.ProcessorCount,
            CpuModel(),
            Math.Round(MemoryKiB() / 1024.0 / 1024.0, 1),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal),
            postgres,
            overview.GetProperty("rabbitmq_version").GetString()!,
            overview.GetProperty("erlang_version").GetString()!,
            packages,
            await CommitAsync(),
            startedAt);
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static long MemoryKiB() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static async Task<string> CommitAsync()
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", Repository.Root, "describe", "--always", "--dirty"]) { RedirectStandardOutput = true };
            using var git = Process.Start(start)!;
            var commit = (await git.StandardOutput.ReadToEndAsync()).Trim();
            await git.WaitForExitAsync();
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }
}
