using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// Today, Upcoming and Overdue in a browser on UTC for a person who lives in Tokyo: the days are the person's, which is
/// a different date from UTC's for nine hours of each day.
/// </summary>
public sealed class When_tasks_fall_due_on_different_days : BrowserSpec
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    [Test]
    public async Task Should_show_open_tasks_by_the_persons_day_in_each_view_and_keep_the_view_on_reload()
    {
        var page = await SignedUpLivingInAsync("Asia/Tokyo");
        using var api = await ElsewhereApi.OpenAsync(page);
        var today = api.Today;
        await api.CreateAsync(new { title = "Morning run", due = ElsewhereApi.At(today, 23, 59) });
        await api.CreateAsync(new { title = "Pay the gas bill", due = ElsewhereApi.AllDay(today) });
        var done = await api.CreateAsync(new { title = "Already done", due = ElsewhereApi.At(today, 23, 58) });
        await api.CompleteAsync(done.GetProperty("id").GetString()!);
        await api.CreateAsync(new { title = "Dentist", due = ElsewhereApi.At(today.AddDays(1), 10) });
        await api.CreateAsync(new { title = "Book flights", due = ElsewhereApi.AllDay(today.AddDays(3)) });
        await api.CreateAsync(new { title = "Last of the week", due = ElsewhereApi.AllDay(today.AddDays(6)) });
        await api.CreateAsync(new { title = "Renew insurance", due = ElsewhereApi.At(today.AddDays(7), 9) });
        await api.CreateAsync(new { title = "Return library books", due = ElsewhereApi.At(today.AddDays(-1), 9) });
        await api.CreateAsync(new { title = "Water the garden", due = ElsewhereApi.AllDay(today.AddDays(-1)) });
        var titles = page.Locator("#task-list .task-title");

        await View(page, "Today").ClickAsync();
        await Assertions.Expect(titles).ToHaveTextAsync(["Morning run", "Pay the gas bill"]);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#today$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Today", Level = 1 })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "today");

        await page.ReloadAsync();
        await Assertions.Expect(View(page, "Today")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(titles).ToHaveTextAsync(["Morning run", "Pay the gas bill"]);

        await View(page, "Upcoming").ClickAsync();
        await Assertions.Expect(page.Locator(".day-heading")).ToHaveTextAsync([
            $"Today · {Day(today)}", $"Tomorrow · {Day(today.AddDays(1))}", Day(today.AddDays(3)), Day(today.AddDays(6))]);
        var days = page.Locator("#task-list > .day");
        await Assertions.Expect(days.Nth(0).Locator(".task-title")).ToHaveTextAsync(["Morning run", "Pay the gas bill"]);
        await Assertions.Expect(days.Nth(1).Locator(".task-title")).ToHaveTextAsync(["Dentist"]);
        await Assertions.Expect(days.Nth(2).Locator(".task-title")).ToHaveTextAsync(["Book flights"]);
        await Assertions.Expect(days.Nth(3).Locator(".task-title")).ToHaveTextAsync(["Last of the week"]);
        await Assertions.Expect(days.Nth(1).GetByRole(AriaRole.List, new() { Name = $"Tomorrow · {Day(today.AddDays(1))}" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "upcoming");
        Assert.That(await TaskPage.SeriousAccessibilityProblemsAsync(page), Is.Empty, "axe-core on Upcoming");

        await View(page, "Overdue").ClickAsync();
        await Assertions.Expect(titles).ToHaveTextAsync(["Return library books", "Water the garden"]);
        await ScreenshotAsync(page, "overdue");

        await View(page, "All").ClickAsync();
        await Assertions.Expect(titles).ToHaveCountAsync(8);
    }

    [Test]
    public async Task Should_show_a_task_due_today_that_is_created_elsewhere_while_Today_is_open()
    {
        var page = await SignedUpLivingInAsync("Asia/Tokyo");
        using var api = await ElsewhereApi.OpenAsync(page);
        await api.CreateAsync(new { title = "Morning run", due = ElsewhereApi.At(api.Today, 23, 59) });
        await View(page, "Today").ClickAsync();
        await Assertions.Expect(page.Locator("#task-list .task-title")).ToHaveTextAsync(["Morning run"]);

        await api.CreateAsync(new { title = "Call the plumber", due = ElsewhereApi.AllDay(api.Today) });
        await api.CreateAsync(new { title = "Not today", due = ElsewhereApi.AllDay(api.Today.AddDays(1)) });

        await Assertions.Expect(page.Locator("#task-list .task-title")).ToHaveTextAsync(["Morning run", "Call the plumber"]);
        await ScreenshotAsync(page, "today-live");
    }

    [Test]
    public async Task Should_say_so_kindly_when_nothing_is_due_today()
    {
        var page = await SignedUpLivingInAsync("UTC");
        using var api = await ElsewhereApi.OpenAsync(page);
        await api.CreateAsync(new { title = "Some day", due = ElsewhereApi.AllDay(api.Today.AddDays(20)) });

        await View(page, "Today").ClickAsync();

        await Assertions.Expect(page.Locator("#list-status")).ToHaveTextAsync("Nothing due today. Enjoy the day!");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add your first task" })).ToBeHiddenAsync();
        await ScreenshotAsync(page, "today-empty");
    }

    /// <summary>The views are links in a navigation landmark, reached and followed with the keyboard.</summary>
    private static ILocator View(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Views" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static string Day(DateOnly day) => day.ToString("dddd, MMMM d", English);
}
