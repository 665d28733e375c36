using System.Diagnostics;
using System.Net;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>The API as its own operating-system process, so a test can SIGKILL it like a crash and start it again.</summary>
public sealed class ApiProcess(string databaseConnectionString, string brokerConnectionString) : IAsyncDisposable
{
    private Process? process;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{Loopback.FreePort()}/");

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [ApiAssembly(), "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__TaskFlow"] = databaseConnectionString;
        start.Environment["ConnectionStrings__RabbitMq"] = brokerConnectionString;
        start.Environment["Auth__SigningKey"] = TaskFlowApiFactory.SigningKey;
        start.Environment["Auth__RateLimit__PermitLimit"] = "1000000";
        start.Environment["Database__MigrateOnStartup"] = "false";
        process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.MatchesAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync("/health/live")).StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the API process to answer");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would: no graceful shutdown, in-flight requests cut off.</summary>
    public async Task KillAsync()
    {
        if (process is null)
            return;
        await Crash.KillAsync(process);
        process = null;
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    /// <summary>The API's own build output, in the configuration these tests were built in.</summary>
    private static string ApiAssembly()
    {
        var testFolder = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testFolder.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(testFolder);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaskFlow.sln")))
            root = root.Parent;
        var assembly = Path.Combine(root!.FullName, "src", "TaskFlow.Api", "bin", configuration, "net10.0", "TaskFlow.Api.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("Build the API first.", assembly);
    }
}
