using System.Globalization;

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
