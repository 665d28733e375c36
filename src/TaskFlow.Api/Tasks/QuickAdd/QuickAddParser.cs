using NodaTime;
using TaskFlow.Components.Calendar;

namespace TaskFlow.Api.Tasks.QuickAdd;

/// <summary>What a quick-add text says: the task it asks for, its due date resolved, and each phrase that was read.</summary>
public sealed record QuickAddParse(TaskRequest Request, DueDate? Due, IReadOnlyList<QuickAddUnderstood> Understood);

/// <summary>
/// Reads a task typed in one line, "Pay rent every month on the 1st at 9am !high #home remind me 1 day before", in
/// the owner's zone at <c>now</c>. Reminders, the repeat, the date, the time, the priority and tags are read in that
/// order, each from words no earlier reader took; what none of them reads is the title, as typed.
/// </summary>
public static class QuickAddParser
{
    public const int MaxLength = 1000;

    public static QuickAddParse? Parse(string? text, DateTimeZone zone, Instant now, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            error = $"Type the task in 1 to {MaxLength} characters, such as 'Pay rent every month on the 1st at 9am #home'.";
            return null;
        }

        var local = now.InZone(zone);
        var claims = new TextClaims(text);
        var reminders = ReminderWords.Read(claims);
        var repeat = RecurrenceWords.Read(claims);
        var date = DateWords.Read(claims, local.Date);
        var time = TimeWords.Read(claims);
        var priority = PriorityWords.Read(claims);
        var tags = TagWords.Read(claims);
        var title = claims.Remainder();
        if (title.Length == 0)
        {
            error = "Nothing is left for the title once the date, repeat, priority, tags and reminders are read: say what the task is.";
            return null;
        }

        var due = DueWords.Resolve(date?.Date, time?.Time ?? (date?.Tonight == true ? DateWords.Tonight : null), local);
        if (due is null && (date?.Match ?? time?.Match) is { } unreachable)
        {
            error = $"'{unreachable.Value}': falls due after the year 9999 ends, the last instant a due date can have.";
            return null;
        }

        var understood = new List<Understood>();
        string? rule = null;
        if (repeat is { } words)
        {
            if (RepeatStart.Resolve(words.Shorthand, due, date is not null, local, out error) is not { } start)
            {
                error = $"'{words.Match.Value}': {error}";
                return null;
            }
            var first = date is null ? $"; first due {DueMeaning.Describe(start.Due)}" : "";
            (rule, due) = start;
            understood.Add(new Understood(words.Match, "recurrence", RecurrenceRule.Describe(rule) + first));
        }

        if (due is not null)
        {
            if (date is { } day)
                understood.Add(new Understood(day.Match, "due", DueMeaning.Describe(due)));
            if (time is { } at)
                understood.Add(new Understood(at.Match, "due", DueMeaning.Describe(due)));
        }
        if (priority is { } read)
            understood.Add(read.Read);
        understood.AddRange(tags.Select(t => t.Read));
        understood.AddRange(reminders.Select(r => r.Read));

        var request = new TaskRequest(
            title,
            Priority: priority?.Priority,
            Tags: tags.Count > 0 ? tags.Select(t => (string?)t.Tag).ToList() : null,
            Due: due is null ? null : new DueRequest(due.DateTimeText, due.DateText, zone.Id),
            Reminders: reminders.Count > 0 ? reminders.Select(r => (string?)r.Offset).ToList() : null,
            Recurrence: rule);
        return new QuickAddParse(request, due, understood.OrderBy(u => u.Index).Select(u => u.ToResponse()).ToList());
    }
}
