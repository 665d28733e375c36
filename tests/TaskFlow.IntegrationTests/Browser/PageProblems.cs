using Microsoft.Playwright;

namespace TaskFlow.IntegrationTests.Browser;

/// <summary>
/// What the pages of one test reported that a person would call broken: errors on the console, uncaught exceptions, and
/// any dialog. A dialog fails the test whatever it says: the page has none, so one means injected script ran.
/// </summary>
public sealed class PageProblems
{
    private readonly Lock gate = new();
    private readonly HashSet<IPage> watched = [];
    private readonly List<string> consoleErrors = [];
    private readonly List<string> pageErrors = [];
    private readonly List<string> dialogs = [];
    private readonly List<string> expected = [];

    public IReadOnlyList<string> ConsoleErrors => Snapshot(consoleErrors);
    public IReadOnlyList<string> PageErrors => Snapshot(pageErrors);
    public IReadOnlyList<string> Dialogs => Snapshot(dialogs);

    public bool Any
    {
        get
        {
            lock (gate)
                return consoleErrors.Count + pageErrors.Count + dialogs.Count > 0;
        }
    }

    /// <summary>Every page the context opens, including pop-ups the page itself opens, is watched from its start.</summary>
    public void Watch(IBrowserContext context)
    {
        context.Page += (_, page) => Watch(page);
        foreach (var page in context.Pages)
            Watch(page);
    }

    public void Watch(IPage page)
    {
        lock (gate)
        {
            // A page reaches here twice: from the context's event and from whoever opened it.
            if (!watched.Add(page))
                return;
        }
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsExpected(message.Text))
                Add(consoleErrors, $"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Add(pageErrors, error);
        page.Dialog += async (_, dialog) =>
        {
            Add(dialogs, $"{dialog.Type}: {dialog.Message}");
            try
            {
                // Left open, a dialog would block the page and the test would only time out.
                await dialog.DismissAsync();
            }
            catch (PlaywrightException)
            {
                // The page closed under the dialog; it is recorded all the same.
            }
        };
    }

    /// <summary>Console errors containing <paramref name="text"/> are part of what the test does (a server it stopped).</summary>
    public void ExpectConsoleErrors(string text)
    {
        lock (gate)
            expected.Add(text);
    }

    /// <summary>Fails the test with everything the pages reported so far.</summary>
    public void AssertNone()
    {
        if (Any)
            Assert.Fail(ToString());
    }

    public override string ToString()
    {
        lock (gate)
        {
            var lines = new List<string>();
            lines.AddRange(dialogs.Select(d => $"dialog shown: {d}"));
            lines.AddRange(pageErrors.Select(e => $"uncaught error: {e}"));
            lines.AddRange(consoleErrors.Select(e => $"console error: {e}"));
            return lines.Count == 0 ? "no problems on the page" : "The page reported problems:\n  " + string.Join("\n  ", lines);
        }
    }

    private bool IsExpected(string text)
    {
        lock (gate)
            return expected.Exists(e => text.Contains(e, StringComparison.Ordinal));
    }

    private void Add(List<string> list, string entry)
    {
        lock (gate)
            list.Add(entry);
    }

    private string[] Snapshot(List<string> list)
    {
        lock (gate)
            return [.. list];
    }
}
