using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;

namespace TaskFlow.Benchmarks;

/// <summary>
/// Event to browser latency as a person with two windows meets it: one page completes and reopens a task with its
/// checkbox, the other page (same user, its own browser context) shows each change. Every time is Date.now() taken in
/// the pages themselves, so the acting page's request, the watching page's WebSocket and its DOM share one clock.
/// </summary>
internal static class BrowserLatency
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // As the browser specs launch it (WebApp.cs): Debian's launcher turns background networking back on, and on this
    // closed network Chromium's calls to Google's services are refused, which stalls it.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Straggler = TimeSpan.FromSeconds(15);

    // Runs before the page's own scripts. The acting page notes when each complete/reopen request starts, keyed by the
    // task version it produced; the watching page notes each notification frame as its WebSocket delivers it (before
    // SignalR's handler, which is added later), keyed by the version the notification carries.
    private const string Probe = """
        (() => {
          const bench = (window.__bench = { started: {}, framed: {}, drawn: {} });
          const fetch = window.fetch.bind(window);
          window.fetch = async (input, init) => {
            const started = Date.now();
            const response = await fetch(input, init);
            const path = new URL(input instanceof Request ? input.url : String(input), location.href).pathname;
            if (response.ok && /\/(complete|reopen)$/.test(path))
              response.clone().json().then((task) => (bench.started[task.version] = started));
            return response;
          };
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(...args) {
              super(...args);
              this.addEventListener("message", (event) => {
                const at = Date.now();
                if (typeof event.data !== "string") return;
                for (const part of event.data.split("\x1e")) {
                  if (!part) continue;
                  const message = JSON.parse(part);
                  if (message.type !== 1 || message.target !== "notification") continue;
                  for (const n of message.arguments) if (n.version != null) bench.framed[n.version] ??= at;
                }
              });
            }
          };
        })();
        """;

    // The list is redrawn from a fresh GET after each notification; the observer runs as soon as the script that
    // redrew it ends, before the frame is painted.
    private const string Observe = """
        (id) => {
          const list = document.getElementById("task-list");
          const note = () => {
            const at = Date.now();
            const item = list.querySelector(`.task[data-id="${id}"]`);
            if (item) window.__bench.drawn[item.dataset.version] ??= at;
          };
          new MutationObserver(note).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-version"] });
        }
        """;

    public static async Task RunAsync(Uri api, string database, int count)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}; this benchmark never downloads a browser.");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        // Two contexts, as two windows: a second tab of one context could be throttled as a background tab.
        var acting = await OpenAsync(browser, api, "acting");
        var watching = await OpenAsync(browser, api, "watching");

        var email = $"bench-browser-{Guid.NewGuid():N}@example.com";
        const string password = "benchmark password";
        await acting.GotoAsync("/");
        await acting.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await SignInAsync(acting, email, password, "Create account");
        await watching.GotoAsync("/");
        await SignInAsync(watching, email, password, "Sign in");
        foreach (var page in new[] { acting, watching })
        {
            // Completed tasks stay listed, so the same checkbox reopens what it completed.
            await page.GetByLabel("Show").SelectOptionAsync(new SelectOptionValue { Label = "All" });
            await Assertions.Expect(page.Locator("#list-status")).ToHaveTextAsync("No tasks match.");
        }

        await acting.GetByRole(AriaRole.Button, new() { Name = "New task" }).ClickAsync();
        await acting.GetByRole(AriaRole.Textbox, new() { Name = "Title", Exact = true }).FillAsync("Measure the browser latency");
        await acting.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var item = acting.Locator(".task");
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await Assertions.Expect(watching.Locator(".task")).ToHaveCountAsync(1);
        var id = (await item.GetAttributeAsync("data-id"))!;
        await watching.EvaluateAsync(Observe, id);

        var checkbox = item.Locator("input[data-role=toggle]");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var wait = Interval * i - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var before = (await item.GetAttributeAsync("data-version"))!;
            await checkbox.ClickAsync();
            // The next click must act on the task this one produced, or it would be refused as stale.
            await Assertions.Expect(item).Not.ToHaveAttributeAsync("data-version", before, new() { Timeout = 15_000 });
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var started = await ReadAsync(acting, "started");
        var deadline = DateTime.UtcNow + Straggler;
        var drawn = await ReadAsync(watching, "drawn");
        while (Shown(started, drawn).Count < started.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            drawn = await ReadAsync(watching, "drawn");
        }
        var shown = Shown(started, drawn);
        var framed = await ReadAsync(watching, "framed");

        Console.WriteLine($"event->browser, {started.Count} completes/reopens by one page's checkbox, paced one every " +
                          $"{Interval.TotalMilliseconds:F0} ms (all clicked in {seconds:F1} s), seen by a second page of the same user:");
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await ReportAsync(connection, "request start -> notification frame in the watching page's WebSocket", started, framed);
        await ReportAsync(connection, "request start -> the change in the watching page's DOM", started, shown);
        var together = shown.Keys.Count(v => !drawn.ContainsKey(v));
        if (together > 0)
            Console.WriteLine($"  ({together} of them reached the DOM in one redraw with the change after them)");
    }

    // Two notifications close together are redrawn once, from one GET that already holds the later version: the earlier
    // change is on the page from that redraw on, though its own version never was.
    private static Dictionary<string, double> Shown(Dictionary<string, double> started, Dictionary<string, double> drawn) =>
        started.Keys
            .Select(v => (Version: v, At: drawn.Where(d => Number(d.Key) >= Number(v)).Select(d => (double?)d.Value).Min()))
            .Where(s => s.At is not null)
            .ToDictionary(s => s.Version, s => s.At!.Value);

    private static int Number(string version) => int.Parse(version, CultureInfo.InvariantCulture);

    private static async Task<IPage> OpenAsync(IBrowser browser, Uri api, string role)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = api.ToString() });
        await context.AddInitScriptAsync(Probe);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => Console.Error.WriteLine($"{role} page error: {error}");
        return page;
    }

    private static async Task SignInAsync(IPage page, string email, string password, string submit)
    {
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.Locator("#auth-form").GetByRole(AriaRole.Button, new() { Name = submit }).ClickAsync();
        var live = page.Locator("#connection[data-state=online]");
        var refused = page.Locator("#auth-form .error:visible");
        await live.Or(refused).First.WaitForAsync(new() { Timeout = 30_000 });
        // Sign-ups and sign-ins share a limit per address (Auth:RateLimit, 10 a minute), which other runs may have used.
        if (await refused.CountAsync() > 0)
            throw new InvalidOperationException($"The page could not sign in: \"{await refused.First.TextContentAsync()}\" " +
                                                "(at 10 sign-ins a minute from this address, another run may have to wait a minute).");
    }

    private static async Task<Dictionary<string, double>> ReadAsync(IPage page, string what) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(await page.EvaluateAsync<string>($"() => JSON.stringify(window.__bench.{what})"))!;

    // percentile_cont over the samples: the same percentiles as the benchmark's other figures.
    private static async Task ReportAsync(NpgsqlConnection connection, string what, Dictionary<string, double> started, Dictionary<string, double> seen)
    {
        var latencies = started.Where(s => seen.ContainsKey(s.Key)).Select(s => seen[s.Key] - s.Value).ToArray();
        if (latencies.Length == 0)
        {
            Console.WriteLine($"  {what}: none of {started.Count} arrived");
            return;
        }
        await using var query = new NpgsqlCommand("""
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms), max(ms) FROM unnest(@ms) AS ms
            """, connection);
        query.Parameters.AddWithValue("ms", latencies);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        var p = reader.GetFieldValue<double[]>(0);
        var missing = started.Count - latencies.Length;
        var lost = missing > 0 ? $"; {missing} of {started.Count} never arrived within {Straggler.TotalSeconds:F0} s" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: p50 {p[0]:F0} ms, p95 {p[1]:F0} ms, p99 {p[2]:F0} ms, max {reader.GetDouble(1):F0} ms{lost}"));
    }
}
