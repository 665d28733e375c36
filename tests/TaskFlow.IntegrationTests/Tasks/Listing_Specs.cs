using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_a_user_lists_tasks
{
    private HttpClient user = null!;

    [SetUp]
    public async Task SignInWithTasks()
    {
        user = await IntegrationSetup.Api.NewUserAsync(timeZone: "UTC");
        await user.CreateTaskAsync(new { title = "banana bread", priority = "low", tags = new[] { "kitchen" }, due = new { dateTime = "2430-03-01T10:00" } });
        await user.CreateTaskAsync(new { title = "Apple pie", priority = "high", tags = new[] { "kitchen", "party" }, due = new { dateTime = "2430-01-01T10:00" } });
        await user.CreateTaskAsync(new { title = "clean the garage", description = "Running out of room", priority = "medium" });
        await user.CreateTaskAsync(new { title = "Book dentist", priority = "high", due = new { dateTime = "2020-06-01T10:00" } });
        var done = await user.CreateTaskAsync(new { title = "Old chores", due = new { dateTime = "2020-01-01T10:00" } });
        await user.PostAsync($"{TaskApi.Tasks}/{done.Id()}/complete", null);
    }

    [TearDown]
    public void SignOut() => user.Dispose();

    [TestCase("", new[] { "Old chores", "Book dentist", "Apple pie", "banana bread", "clean the garage" })]
    [TestCase("?sort=due&order=desc", new[] { "clean the garage", "banana bread", "Apple pie", "Book dentist", "Old chores" })]
    [TestCase("?sort=title", new[] { "Apple pie", "banana bread", "Book dentist", "clean the garage", "Old chores" })]
    [TestCase("?sort=title&order=desc", new[] { "Old chores", "clean the garage", "Book dentist", "banana bread", "Apple pie" })]
    [TestCase("?sort=created", new[] { "banana bread", "Apple pie", "clean the garage", "Book dentist", "Old chores" })]
    [TestCase("?sort=created&order=desc", new[] { "Old chores", "Book dentist", "clean the garage", "Apple pie", "banana bread" })]
    public async Task Should_sort_as_asked(string query, string[] expected)
    {
        var page = await user.GetJsonAsync(TaskApi.Tasks + query);

        Assert.That(page.Titles(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_sort_by_priority_highest_first_when_descending()
    {
        var page = await user.GetJsonAsync($"{TaskApi.Tasks}?sort=priority&order=desc");

        var priorities = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("priority").GetString()).ToList();
        Assert.That(priorities, Is.EqualTo(new[] { "high", "high", "medium", "low", "none" }));
    }

    [TestCase("?status=completed", new[] { "Old chores" })]
    [TestCase("?status=open&priority=high", new[] { "Book dentist", "Apple pie" })]
    [TestCase("?priority=low,medium", new[] { "banana bread", "clean the garage" })]
    [TestCase("?tag=KITCHEN", new[] { "Apple pie", "banana bread" })]
    [TestCase("?tag=party", new[] { "Apple pie" })]
    [TestCase("?overdue=true", new[] { "Book dentist" })]
    [TestCase("?dueAfter=2025-01-01&dueBefore=2430-02-01T00:00:00Z", new[] { "Apple pie" })]
    [TestCase("?q=run", new[] { "clean the garage" })]
    [TestCase("?q=pie OR bread", new[] { "Apple pie", "banana bread" })]
    [TestCase("?q=dentist -book", new string[0])]
    public async Task Should_filter_as_asked(string query, string[] expected)
    {
        var page = await user.GetJsonAsync(TaskApi.Tasks + query);

        Assert.That(page.Titles(), Is.EqualTo(expected));
    }

    [TestCase("due", "asc")]
    [TestCase("due", "desc")]
    [TestCase("priority", "desc")]
    [TestCase("created", "asc")]
    [TestCase("title", "desc")]
    public async Task Should_page_through_everything_once_following_next_links(string sort, string order)
    {
        var everything = (await user.GetJsonAsync($"{TaskApi.Tasks}?sort={sort}&order={order}&limit=100")).Titles();

        var seen = new List<string>();
        string? next = $"{TaskApi.Tasks}?sort={sort}&order={order}&limit=2";
        var pages = 0;
        while (next is not null && pages++ < 10)
        {
            var page = await user.GetJsonAsync(next);
            Assert.That(page.GetProperty("items").GetArrayLength(), Is.LessThanOrEqualTo(2));
            seen.AddRange(page.Titles());
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(everything));
    }

    [TestCase("?status=later", "status")]
    [TestCase("?priority=urgent", "priority")]
    [TestCase("?sort=colour", "sort")]
    [TestCase("?order=sideways", "order")]
    [TestCase("?limit=0", "limit")]
    [TestCase("?limit=101", "limit")]
    [TestCase("?limit=ten", "limit")]
    [TestCase("?overdue=maybe", "overdue")]
    [TestCase("?dueBefore=yesterday", "dueBefore")]
    [TestCase("?dueAfter=10000-01-01", "dueAfter")]
    [TestCase("?cursor=not-a-cursor", "cursor")]
    public async Task Should_answer_400_naming_a_bad_parameter(string query, string field)
    {
        var response = await user.GetAsync(TaskApi.Tasks + query);

        await response.ShouldNameFieldAsync(field);
    }

    [Test]
    public async Task Should_refuse_a_cursor_made_for_another_sort()
    {
        var first = await user.GetJsonAsync($"{TaskApi.Tasks}?sort=title&limit=1");
        var cursor = first.GetProperty("nextCursor").GetString();

        var response = await user.GetAsync($"{TaskApi.Tasks}?sort=due&limit=1&cursor={cursor}");

        await response.ShouldNameFieldAsync("cursor");
    }
}
