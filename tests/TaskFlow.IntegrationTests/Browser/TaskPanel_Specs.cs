using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>Opening a task tells its story in sentences, in the person's zone, and where a repeating one goes next.</summary>
public sealed class When_someone_opens_a_task : BrowserSpec
{
    [Test]
    public async Task Should_show_its_history_and_next_dates_and_follow_a_change_made_elsewhere()
    {
        var page = await SignedUpLivingInAsync("Asia/Tokyo");
        using var api = await ElsewhereApi.OpenAsync(page);
        var firstDue = api.Today.AddDays(1);
        var task = new { title = "Water the plants", due = ElsewhereApi.At(firstDue, 9), recurrence = "weekly" };
        var created = await api.CreateAsync(task);
        var id = created.GetProperty("id").GetString()!;
        await api.UpdateAsync(id, new { task.title, task.due, task.recurrence, priority = "high", version = created.GetProperty("version").GetInt32() });
        var history = await Eventually.MatchesAsync(() => api.HistoryAsync(id), h => h.Count == 2, what: "both changes in the audit log");

        var title = page.GetByRole(AriaRole.Button, new() { Name = "Water the plants", Exact = true });
        await title.ClickAsync();

        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Water the plants" });
        await Assertions.Expect(panel).ToBeVisibleAsync();
        var entries = panel.GetByRole(AriaRole.Region, new() { Name = "History" }).Locator("li");
        await Assertions.Expect(entries.Locator(".history-what")).ToHaveTextAsync(["Created", "Priority changed to high"]);
        await Assertions.Expect(entries.Locator("time")).ToHaveTextAsync([.. history.Select(OccurredAt).Select(api.Shown)]);
        var next = panel.GetByRole(AriaRole.Region, new() { Name = "Next dates" }).Locator("li");
        await Assertions.Expect(next).ToHaveTextAsync([.. Enumerable.Range(1, 5).Select(w => firstDue.AddDays(7 * w).ToString("MMM d, yyyy', 9:00 AM'", English))]);
        await ScreenshotAsync(page, "panel");
        Assert.That(await TaskPage.SeriousAccessibilityProblemsAsync(page), Is.Empty, "axe-core on the open panel");

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(panel).ToBeHiddenAsync();
        await Assertions.Expect(title).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(entries.Locator(".history-what")).ToHaveCountAsync(2);
        await api.CompleteAsync(id);

        await Assertions.Expect(entries.Locator(".history-what")).ToHaveTextAsync(["Created", "Priority changed to high", "Completed"]);
        await Assertions.Expect(panel).ToContainTextAsync("Completed");
    }

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    private static DateTimeOffset OccurredAt(JsonElement entry) => entry.GetProperty("occurredAt").GetDateTimeOffset();
}
