using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>The page's bars on a laptop and on a phone: one row each at 1280 px, nothing past the edge at 390 px.</summary>
public sealed class When_the_page_is_shown_at_common_widths : BrowserSpec
{
    // The controls a person reaches for, by the row they belong on.
    private static readonly Dictionary<string, string> Rows = new()
    {
        ["top bar"] = ".topbar > .brand, .topbar-right > :not([hidden])",
        ["heading"] = ".tasks-head > *",
        ["quick add"] = ".quick-row > *",
        ["toolbar"] = "#filters > .filter:not([hidden])",
    };

    [Test]
    public async Task Should_keep_every_bar_on_one_row_at_1280_px()
    {
        var page = await NewPageAsync(await NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } }));
        await TaskPage.SignUpAsync(page);

        var wrapped = new List<string>();
        foreach (var (row, selector) in Rows)
        {
            var boxes = await Boxes(page, selector);
            Assert.That(boxes, Has.Count.GreaterThan(1), $"the {row}'s controls");
            // One row: every control starts above the bottom of every other (their boxes overlap vertically).
            var lowestTop = boxes.Max(b => b.Top);
            var highestBottom = boxes.Min(b => b.Bottom);
            if (lowestTop >= highestBottom)
                wrapped.Add($"{row}: {string.Join(", ", boxes.Where(b => b.Top >= highestBottom).Select(b => b.Name))} on a second row");
        }
        await ScreenshotAsync(page, "1280");
        Assert.That(wrapped, Is.Empty);
    }

    [Test]
    public async Task Should_let_nothing_overflow_at_390_px()
    {
        var page = await NewPageAsync(await NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } }));
        await TaskPage.SignUpAsync(page);

        var outside = new List<string>();
        foreach (var selector in Rows.Values)
            outside.AddRange((await Boxes(page, selector)).Where(b => b.Left < 0 || b.Right > 390).Select(b => $"{b.Name} ({b.Left:F0}–{b.Right:F0})"));
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await ScreenshotAsync(page, "390");
        Assert.Multiple(() =>
        {
            Assert.That(outside, Is.Empty, "controls past the edge");
            Assert.That(scrollWidth, Is.LessThanOrEqualTo(390), "the page scrolls sideways");
        });
    }

    // Playwright fills the properties of a new instance, so no positional record.
    private sealed class Box
    {
        public string Name { get; set; } = "";
        public double Left { get; set; }
        public double Right { get; set; }
        public double Top { get; set; }
        public double Bottom { get; set; }
    }

    private static async Task<IReadOnlyList<Box>> Boxes(IPage page, string selector) =>
        await page.Locator(selector).EvaluateAllAsync<Box[]>("""
            nodes => nodes.filter(n => n.getClientRects().length > 0).map(n => {
              const r = n.getBoundingClientRect();
              return { name: n.id || n.querySelector('label')?.textContent || n.className || n.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            })
            """);
}
