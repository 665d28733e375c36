using System.Diagnostics;
using Microsoft.Playwright;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// TaskFlow as a browser meets it: the API and the worker as their own processes on free loopback ports, and Debian's
/// Chromium driven by Playwright. Start one with <see cref="StartAsync"/>; disposing it closes the browser and stops both
/// hosts.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    /// <summary>The browser the machine has: Playwright never downloads one here (the network is closed).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    // Debian's launcher turns background networking back on (its remote-extensions setting), and on this closed network
    // Chromium's calls to Google's services are refused, which stalls it: every such service is switched off here.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly HostProcess api;
    private readonly HostProcess worker;
    private IPlaywright? playwright;
    private IBrowser? browser;

    private WebApp(HostProcess api, HostProcess worker)
    {
        this.api = api;
        this.worker = worker;
    }

    /// <summary>The API, which also serves the web page at <c>/</c>.</summary>
    public Uri BaseAddress => api.BaseAddress;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been launched.");

    /// <summary>From the call to <see cref="StartAsync"/> until both hosts were ready and the browser answered.</summary>
    public TimeSpan StartupTime { get; private set; }

    public static async Task<WebApp> StartAsync(string databaseConnectionString, string brokerConnectionString)
    {
        // A missing browser fails every browser spec, never skips it: a skipped spec would pass CI unseen.
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"Chromium is not installed at {ChromiumPath}: install Debian's chromium package "
                        + "(infra/taskflow.sh test does). The browser specs never download a browser.");

        var started = Stopwatch.StartNew();
        var app = new WebApp(
            HostProcess.Api(databaseConnectionString, brokerConnectionString),
            HostProcess.Worker(databaseConnectionString, brokerConnectionString));
        try
        {
            await Task.WhenAll(
                StartReadyAsync(app.api),
                StartReadyAsync(app.worker),
                app.LaunchBrowserAsync());
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        app.StartupTime = started.Elapsed;
        return app;
    }

    private static async Task StartReadyAsync(HostProcess host)
    {
        await host.StartAsync();
        await host.WaitReadyAsync();
    }

    private async Task LaunchBrowserAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>SIGKILLs the API, as a crash would; the page's connection drops with it.</summary>
    public Task KillApiAsync() => api.KillAsync();

    /// <summary>Starts the API again on the same address, ready for the page to reconnect to.</summary>
    public Task StartApiAsync() => StartReadyAsync(api);

    /// <summary>
    /// A new browser context (its own cookies and storage: one user) whose relative URLs go to the API. Two pages of one
    /// user share a context; two users take two.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var own = options is null ? new BrowserNewContextOptions() : new BrowserNewContextOptions(options);
        own.BaseURL ??= BaseAddress.ToString();
        return Browser.NewContextAsync(own);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (browser is not null)
                await browser.CloseAsync();
        }
        finally
        {
            // The driver (a node process) ends with it, killing any browser it still holds.
            playwright?.Dispose();
            await Task.WhenAll(api.DisposeAsync().AsTask(), worker.DisposeAsync().AsTask());
        }
    }
}
