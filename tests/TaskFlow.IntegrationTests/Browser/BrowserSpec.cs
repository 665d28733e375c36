using Microsoft.Playwright;
using NUnit.Framework.Interfaces;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// For fixtures that drive the web page. Each test opens its own contexts (one per user) and pages, all closed after it;
/// whatever a page reports as broken (see <see cref="PageProblems"/>) fails the test, and a failed test leaves a
/// screenshot of every page it had open.
/// </summary>
public abstract class BrowserSpec
{
    private readonly List<IBrowserContext> contexts = [];

    protected static WebApp App => BrowserSetup.App;

    /// <summary>What this test's pages reported so far; checked again after the test.</summary>
    protected PageProblems Problems { get; private set; } = new();

    [SetUp]
    public void WatchPages()
    {
        Problems = new PageProblems();
        contexts.Clear();
    }

    /// <summary>A fresh browser profile: one user. Pass it to <see cref="NewPageAsync"/> for that user's second tab.</summary>
    protected async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await App.NewContextAsync(options);
        contexts.Add(context);
        Problems.Watch(context);
        return context;
    }

    /// <summary>A new tab in <paramref name="context"/>, or in a new context of its own; relative URLs go to the API.</summary>
    protected async Task<IPage> NewPageAsync(IBrowserContext? context = null)
    {
        context ??= await NewContextAsync();
        var page = await context.NewPageAsync();
        Problems.Watch(page);
        return page;
    }

    /// <summary>
    /// A new person signed up in an en-US browser on UTC who lives in <paramref name="zone"/>: the page must show their
    /// days and times, not the browser's.
    /// </summary>
    protected async Task<IPage> SignedUpLivingInAsync(string zone)
    {
        var page = await NewPageAsync(await NewContextAsync(new() { TimezoneId = "UTC", Locale = "en-US" }));
        await TaskPage.SignUpAsync(page);
        if (zone != "UTC")
            await TaskPage.ChooseZoneAsync(page, zone);
        return page;
    }

    protected static Task<string> ScreenshotAsync(IPage page, string name) => Screenshots.SaveAsync(page, name);

    [TearDown]
    public async Task ClosePages()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
        try
        {
            if (failed || Problems.Any)
                await ScreenshotOpenPagesAsync();
        }
        finally
        {
            foreach (var context in contexts)
                await context.CloseAsync();
            contexts.Clear();
        }
        // Checked after the test too, so that an alert fails it even when the test never looked; a test that failed
        // already gets them as context, not as a second failure.
        if (!failed)
            Problems.AssertNone();
        else if (Problems.Any)
            await TestContext.Out.WriteLineAsync(Problems.ToString());
    }

    private async Task ScreenshotOpenPagesAsync()
    {
        var pages = contexts.SelectMany(c => c.Pages).Where(p => !p.IsClosed).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            try
            {
                await ScreenshotAsync(pages[i], pages.Count == 1 ? "failure" : $"failure-{i + 1}");
            }
            catch (PlaywrightException e)
            {
                // The page may have crashed, which is likely why the test failed; that is the finding, not this.
                await TestContext.Out.WriteLineAsync($"no failure screenshot of page {i + 1}: {e.Message}");
            }
        }
    }
}
