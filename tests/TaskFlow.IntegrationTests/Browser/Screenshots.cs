using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// PNGs of pages, kept with the run's results (<c>screenshots/&lt;fixture&gt;/&lt;test&gt;-&lt;name&gt;.png</c>) and
/// attached to the test, so a person can look at what the browser showed.
/// </summary>
public static class Screenshots
{
    /// <summary>
    /// Under the directory <c>dotnet test --results-directory</c> names (the project passes it as TASKFLOW_TEST_RESULTS),
    /// else under NUnit's work directory, the test's output folder.
    /// </summary>
    public static string Folder =>
        Path.Combine(Environment.GetEnvironmentVariable("TASKFLOW_TEST_RESULTS") ?? TestContext.CurrentContext.WorkDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var test = TestContext.CurrentContext.Test;
        var path = Path.Combine(Folder, FileName(test.ClassName?.Split('.')[^1] ?? "unknown"), $"{FileName(test.Name)}-{FileName(name)}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        await TestContext.Out.WriteLineAsync($"screenshot {name}: {path}");
        return path;
    }

    private static string FileName(string text)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '<', '>', '|', ':', '*', '?', '\\', ' ']).ToHashSet();
        var safe = new string([.. text.Select(c => invalid.Contains(c) ? '_' : c)]);
        return safe.Length <= 100 ? safe : safe[..100];
    }
}
