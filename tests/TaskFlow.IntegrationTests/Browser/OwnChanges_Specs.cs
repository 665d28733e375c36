using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// Two tabs of one person and a change from elsewhere: every change shows in every list, and a tab's bell counts all but
/// what was done in that tab.
/// </summary>
public sealed class When_a_person_changes_tasks_in_one_tab : BrowserSpec
{
    [Test]
    public async Task Should_not_ring_that_tabs_bell_but_ring_the_other_tabs_and_for_changes_made_elsewhere()
    {
        var context = await NewContextAsync();
        var here = await NewPageAsync(context);
        await TaskPage.SignUpAsync(here);
        var there = await NewPageAsync(context);
        await there.GotoAsync("/");
        await Assertions.Expect(TaskPage.Connection(there)).ToHaveTextAsync("Live");

        await TaskPage.CreateAsync(here, "Buy milk");

        await Assertions.Expect(there.Locator(".task-title")).ToHaveTextAsync(["Buy milk"]);
        await Assertions.Expect(Badge(there)).ToHaveTextAsync("1");
        await Bell(here).ClickAsync();
        await Assertions.Expect(here.Locator(".inbox-title")).ToHaveTextAsync(["Buy milk"]);
        await Assertions.Expect(Badge(here)).ToBeHiddenAsync();
        await Assertions.Expect(Bell(here)).ToHaveAccessibleNameAsync("Notifications, 0 unread");
        await ScreenshotAsync(here, "own-change-inbox");
        await Bell(here).ClickAsync();

        using (var api = await ElsewhereApi.OpenAsync(here))
            await api.CreateAsync(new { title = "Call mum" });

        foreach (var page in new[] { here, there })
            await Assertions.Expect(page.Locator(".task-title")).ToHaveTextAsync(["Buy milk", "Call mum"]);
        await Assertions.Expect(Badge(here)).ToHaveTextAsync("1");
        await Assertions.Expect(Badge(there)).ToHaveTextAsync("2");
        // The inbox's own count, asked for again, agrees with what the pushes did to the bell.
        await Bell(here).ClickAsync();
        await Assertions.Expect(here.Locator(".inbox-title")).ToHaveTextAsync(["Call mum", "Buy milk"]);
        await Assertions.Expect(Badge(here)).ToHaveTextAsync("1");
        await ScreenshotAsync(here, "change-from-elsewhere");
        await ScreenshotAsync(there, "other-tab");
    }

    private static ILocator Bell(IPage page) => page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Notifications, ") });

    private static ILocator Badge(IPage page) => page.Locator("#unread");
}
