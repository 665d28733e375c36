using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>A new person's list invites the first task; "No tasks match." is kept for a search that finds nothing.</summary>
public sealed class When_a_new_person_has_no_tasks : BrowserSpec
{
    [Test]
    public async Task Should_invite_the_first_task_and_point_to_quick_add()
    {
        var page = await NewPageAsync();
        await TaskPage.SignUpAsync(page);

        var invite = page.GetByRole(AriaRole.Region, new() { Name = "Add your first task" });
        await Assertions.Expect(invite).ToBeVisibleAsync();
        await Assertions.Expect(invite).ToContainTextAsync("Pay rent every month on the 1st at 9am #home !high");
        await Assertions.Expect(page.GetByText("No tasks match.")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "empty-state");
        await invite.GetByRole(AriaRole.Button, new() { Name = "Quick add" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Quick add" })).ToBeFocusedAsync();

        using var api = await ElsewhereApi.OpenAsync(page);
        await api.CreateAsync(new { title = "Buy milk" });
        await Assertions.Expect(page.Locator(".task-title")).ToHaveTextAsync(["Buy milk"]);
        await Assertions.Expect(invite).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("zebra");
        await Assertions.Expect(page.GetByText("No tasks match.")).ToBeVisibleAsync();
        await Assertions.Expect(invite).ToBeHiddenAsync();
    }
}
