namespace TaskFlow.IntegrationTests.Browser;

public sealed class When_a_browser_opens_the_web_page : BrowserSpec
{
    [Test]
    public async Task It_loads_titled_TaskFlow_without_errors()
    {
        var page = await NewPageAsync();

        var response = await page.GotoAsync("/");
        var title = await page.TitleAsync();
        await ScreenshotAsync(page, "home");

        Assert.Multiple(() =>
        {
            Assert.That(response?.Status, Is.EqualTo(200));
            Assert.That(title, Does.Contain("TaskFlow"));
            Assert.That(Problems.Any, Is.False, Problems.ToString);
        });
    }
}
