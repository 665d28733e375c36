using System.Globalization;
using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// One <see cref="WebApp"/> for every browser spec, on the assembly's database and virtual host: started only when a
/// browser spec runs, stopped (browser, API and worker) after the last one.
/// </summary>
[SetUpFixture]
public sealed class BrowserSetup
{
    private static WebApp? app;

    public static WebApp App => app ?? throw new InvalidOperationException("The browser set-up has not run.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Playwright's 5 s suits a quiet machine; CI shares two cores with PostgreSQL, RabbitMQ and both hosts. Specs
        // that promise a time measure it themselves.
        Assertions.SetDefaultExpectTimeout(15_000);
        app = await WebApp.StartAsync(IntegrationSetup.Database.ConnectionString, IntegrationSetup.Broker.ConnectionString);
        await TestContext.Progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Browser specs: API, worker and Chromium ready in {app.StartupTime.TotalSeconds:F1} s (page at {app.BaseAddress})"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (app is not null)
            await app.DisposeAsync();
        app = null;
    }
}
