// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
using NodaTime;
using NodaTime.Text;
using TaskFlow.Api.Tasks;
using TaskFlow.Api.Tasks.QuickAdd;
using TaskFlow.Components.Calendar;
using TaskFlow.UnitTests.Calendar;

namespace TaskFlow.UnitTests.Tasks.QuickAdd;

public class When_reading_a_task_typed_in_one_line
{
    [TestCaseSource(typeof(QuickAddPhrases), nameof(QuickAddPhrases.Understood))]
    public string Should_read_the_title_due_repeat_priority_tags_and_reminders(string text, string zone, string now, bool withInstant)
    {
        var parsed = Parse(text, zone, now, out var error);

        Assert.That(parsed, Is.Not.Null, error);
        var request = parsed!.Request;
        return string.Join(" | ",
            request.Title,
            withInstant ? Dues.Show(parsed.Due) : Local(parsed.Due),
            request.Recurrence ?? "-",
            request.Priority ?? "-",
            request.Tags is { } tags ? string.Join(',', tags) : "-",
            request.Reminders is { } reminders ? string.Join(',', reminders) : "-");
    }

    [Test]
    public void Should_say_what_each_phrase_of_the_must_show_text_means()
    {
        var parsed = Parse("Pay rent every month on the 1st at 9am !high #home remind me 1 day before", QuickAddPhrases.Berlin, QuickAddPhrases.Now, out _);

        Assert.That(parsed!.Understood, Is.EqualTo(new QuickAddUnderstood[]
        {
            new("recurrence", "every month on the 1st", "Monthly on the 1st; first due Fri 1 Jan 2027, 09:00 (Europe/Berlin)"),
            new("due", "at 9am", "Fri 1 Jan 2027, 09:00 (Europe/Berlin)"),
            new("priority", "!high", "High priority"),
            new("tag", "#home", "Tag 'home'"),
            new("reminder", "remind me 1 day before", "Remind 1 day before it is due"),
        }));
        Assert.That(parsed.Request.Due, Is.EqualTo(new DueRequest("2027-01-01T09:00:00", null, QuickAddPhrases.Berlin)));
    }

    [TestCase("Night shift tomorrow at 2:30am", "2027-03-27T12:00",
        "Sun 28 Mar 2027, 02:30 (Europe/Berlin); the clocks skip that time that day, so it falls due at 03:30")]
    [TestCase("Night shift tomorrow at 2:30am", "2026-10-24T12:00",
        "Sun 25 Oct 2026, 02:30 (Europe/Berlin); that time comes twice that day, and the first (UTC+02) counts")]
    [TestCase("Night shift tomorrow", "2027-03-27T12:00", "Sun 28 Mar 2027, all day (Europe/Berlin)")]
    public void Should_say_when_a_DST_change_moves_or_doubles_the_due_time(string text, string now, string meaning)
    {
        var parsed = Parse(text, QuickAddPhrases.Berlin, now, out _);

        Assert.That(parsed!.Understood.Where(u => u.Kind == "due").Select(u => u.Meaning).Distinct(), Is.EqualTo(new[] { meaning }));
    }

    [Test]
    public void Should_understand_nothing_where_it_reads_nothing()
    {
        var parsed = Parse("Call at 9 about 5/6", QuickAddPhrases.Berlin, QuickAddPhrases.Now, out _);

        Assert.That(parsed!.Understood, Is.Empty);
        Assert.That(parsed.Request, Is.EqualTo(new TaskRequest("Call at 9 about 5/6")));
    }

    [TestCase("", "Type the task")]
    [TestCase("   ", "Type the task")]
    [TestCase("tomorrow at 5pm", "Nothing is left for the title")]
    [TestCase("on 4 Jan", "Nothing is left for the title")]
    [TestCase("#home !high every day", "Nothing is left for the title")]
    [TestCase("Pay rent monthly on the 32nd", "'monthly on the 32nd': A month has days 1 to 31, not 32.")]
    [TestCase("Party 31 Dec 9999", "'31 Dec 9999': falls due after the year 9999 ends")]
    [TestCase("Stretch every 2 hours on 4 Jan", "'every 2 hours': An all-day task can repeat at most daily.")]
    public void Should_refuse_text_that_makes_no_task(string text, string error)
    {
        var parsed = Parse(text, QuickAddPhrases.Berlin, QuickAddPhrases.Now, out var message);

        Assert.That(parsed, Is.Null);
        Assert.That(message, Does.Contain(error));
    }

    [Test]
    public void Should_refuse_text_longer_than_a_title_could_come_from() =>
        Assert.That(Parse(new string('a', QuickAddParser.MaxLength + 1), QuickAddPhrases.Berlin, QuickAddPhrases.Now, out _), Is.Null);

    private static QuickAddParse? Parse(string text, string zoneId, string now, out string error)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var instant = zone.ResolveLocal(Dues.Local(now), NodaTime.TimeZones.Resolvers.LenientResolver).ToInstant();
        return QuickAddParser.Parse(text, zone, instant, out error);
    }

    private static string Local(DueDate? due) => due switch
    {
        null => "-",
        { AllDay: true } => due.DateText!,
        _ => LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Format(due.Local),
    };
}
