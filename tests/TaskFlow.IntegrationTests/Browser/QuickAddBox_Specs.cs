using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>The quick-add box: what the server understood shows while typing, and Enter creates exactly that.</summary>
public sealed class When_someone_types_a_task_into_quick_add : BrowserSpec
{
    [Test]
    public async Task Should_preview_each_understood_part_and_create_the_task_on_Enter()
    {
        var page = await NewPageAsync(await NewContextAsync(new() { TimezoneId = "Europe/Berlin", Locale = "en-US" }));
        await TaskPage.SignUpAsync(page);
        var box = page.GetByRole(AriaRole.Textbox, new() { Name = "Quick add" });

        await box.FillAsync("Pay rent every month on the 1st at 9am #home !high remind me 1 day before");

        var preview = page.Locator("#quick-preview");
        await Assertions.Expect(preview).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(preview.Locator(".quick-title strong")).ToHaveTextAsync("Pay rent");
        await Assertions.Expect(Chip(page, "recurrence")).ToContainTextAsync("every month on the 1st");
        await Assertions.Expect(Chip(page, "priority")).ToContainTextAsync(new Regex("high", RegexOptions.IgnoreCase));
        await Assertions.Expect(Chip(page, "tag")).ToContainTextAsync("home");
        // "at 9am" may be read with the rule or on its own: either way a chip shows it was understood.
        await Assertions.Expect(preview.Locator(".chip").Filter(new() { HasText = "9am" }).First).ToBeVisibleAsync();
        await Assertions.Expect(Chip(page, "reminder")).ToContainTextAsync("1 day");
        await ScreenshotAsync(page, "preview");
        Assert.That(await TaskPage.SeriousAccessibilityProblemsAsync(page), Is.Empty, "axe-core on the preview");
        Assert.That(await TaskPage.ListAsync(page), Is.Empty, "the preview creates nothing");

        await box.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".task-title")).ToHaveTextAsync(["Pay rent"]);
        await Assertions.Expect(box).ToHaveValueAsync("");
        await Assertions.Expect(preview).ToBeEmptyAsync();
        await ScreenshotAsync(page, "created");
        var task = (await TaskPage.ListAsync(page)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(task.GetProperty("priority").GetString(), Is.EqualTo("high"));
            Assert.That(task.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "home" }));
            Assert.That(task.GetProperty("recurrence").GetString(), Does.Contain("FREQ=MONTHLY").And.Contain("BYMONTHDAY=1"));
            Assert.That(task.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "P1D" }));
            Assert.That(task.GetProperty("due").GetProperty("dateTime").GetString(), Does.EndWith("09:00:00"));
            Assert.That(task.GetProperty("due").GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Berlin"));
        });
    }

    [Test]
    public async Task Should_show_why_it_would_refuse_and_create_nothing()
    {
        var page = await NewPageAsync();
        await TaskPage.SignUpAsync(page);
        var box = page.GetByRole(AriaRole.Textbox, new() { Name = "Quick add" });
        // Chromium logs the 400s the page asked for; the page shows them by the box, which is what this spec checks.
        Problems.ExpectConsoleErrors("the server responded with a status of 400");

        await box.FillAsync("#home !high");

        await Assertions.Expect(page.Locator("#quick-preview .error")).ToBeVisibleAsync();
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-invalid", "true");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#quick-preview .error")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "refused");
        Assert.That(await TaskPage.ListAsync(page), Is.Empty);

        await box.FillAsync("Buy milk #home");
        await Assertions.Expect(page.Locator("#quick-preview .quick-title strong")).ToHaveTextAsync("Buy milk");
        await Assertions.Expect(box).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Test]
    public async Task Should_show_only_the_answer_for_the_latest_text()
    {
        var page = await NewPageAsync();
        await TaskPage.SignUpAsync(page);
        var previews = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/tasks/quick?dryRun=true", StringComparison.Ordinal))
                Interlocked.Increment(ref previews);
        };
        var box = page.GetByRole(AriaRole.Textbox, new() { Name = "Quick add" });

        await box.PressSequentiallyAsync("Call mum tomorrow #family");

        await Assertions.Expect(page.Locator("#quick-preview .quick-title strong")).ToHaveTextAsync("Call mum");
        await Assertions.Expect(Chip(page, "tag")).ToContainTextAsync("family");
        Assert.That(previews, Is.LessThan("Call mum tomorrow #family".Length), "typing waits for a pause before asking");
    }

    private static ILocator Chip(IPage page, string kind) => page.Locator($"#quick-preview .chip[data-kind=\"{kind}\"]");
}
