// fixed dates: every instant here is handed to the code under test (a pure rule or a FakeTimeProvider); no real clock reads them.
namespace TaskFlow.UnitTests.Tasks.QuickAdd;

/// <summary>
/// The phrase table: what each text gives, written "title | due | recurrence | priority | tags | reminders" with "-"
/// for nothing. A due is a wall time or a day in the case's zone; DST rows add "= the instant in UTC". Unless a row
/// says otherwise, it is Tuesday 8 December 2026, 10:00 in Europe/Berlin.
/// </summary>
internal static class QuickAddPhrases
{
    public const string Berlin = "Europe/Berlin";
    public const string NewYork = "America/New_York";
    public const string Now = "2026-12-08T10:00";

    public static IEnumerable<TestCaseData> Understood() =>
    [
        // Nothing but a title; its spacing stays as typed.
        Row("Buy milk", "Buy milk | - | - | - | - | -"),
        Row("  Buy milk tomorrow  ", "Buy milk | 2026-12-09 | - | - | - | -"),
        Row("Buy milk   and eggs tomorrow", "Buy milk   and eggs | 2026-12-09 | - | - | - | -"),
        // Days.
        Row("Buy milk today", "Buy milk | 2026-12-08 | - | - | - | -"),
        Row("Buy milk tomorrow", "Buy milk | 2026-12-09 | - | - | - | -"),
        Row("Call mum tmrw", "Call mum | 2026-12-09 | - | - | - | -"),
        Row("Report fri", "Report | 2026-12-11 | - | - | - | -"),
        Row("Report on fri", "Report | 2026-12-11 | - | - | - | -"),
        Row("Report this friday", "Report | 2026-12-11 | - | - | - | -"),
        Row("Report tue", "Report | 2026-12-08 | - | - | - | -"),
        Row("Report next tue", "Report | 2026-12-15 | - | - | - | -"),
        Row("Report next fri", "Report | 2026-12-11 | - | - | - | -"),
        Row("Picnic on sat", "Picnic | 2026-12-12 | - | - | - | -"),
        Row("Brunch next sunday", "Brunch | 2026-12-13 | - | - | - | -"),
        Row("Finish essay by fri", "Finish essay | 2026-12-11"),
        Row("Finish essay by sat", "Finish essay | 2026-12-12"),
        Row("Essay due on 4 Jan", "Essay | 2027-01-04"),
        Row("Return book due tomorrow at noon", "Return book | 2026-12-09T12:00"),
        Row("Stand by me", "Stand by me"),
        Row("Invoice on 4 Jan", "Invoice | 2027-01-04 | - | - | - | -"),
        Row("Invoice 4th of January", "Invoice | 2027-01-04 | - | - | - | -"),
        Row("Invoice 4 January 2027", "Invoice | 2027-01-04 | - | - | - | -"),
        Row("Invoice Jan 4, 2027", "Invoice | 2027-01-04 | - | - | - | -"),
        Row("Invoice 2027-01-04", "Invoice | 2027-01-04 | - | - | - | -"),
        Row("Tax return on 1 Dec", "Tax return | 2027-12-01 | - | - | - | -"),
        Row("Office party 8 Dec", "Office party | 2026-12-08 | - | - | - | -"),
        Row("Leap day party 29 Feb", "Leap day party | 2028-02-29 | - | - | - | -"),
        Row("Renew passport in 3 days", "Renew passport | 2026-12-11 | - | - | - | -"),
        Row("Renew passport in 2 weeks", "Renew passport | 2026-12-22 | - | - | - | -"),
        Row("Renew passport in a month", "Renew passport | 2027-01-08 | - | - | - | -"),
        // Times: a time alone is today while still ahead, else tomorrow.
        Row("Call mum tomorrow 5pm", "Call mum | 2026-12-09T17:00 | - | - | - | -"),
        Row("Call mum TOMORROW AT 5PM", "Call mum | 2026-12-09T17:00 | - | - | - | -"),
        Row("Dentist at 9am", "Dentist | 2026-12-09T09:00 | - | - | - | -"),
        Row("Dentist at 5pm", "Dentist | 2026-12-08T17:00 | - | - | - | -"),
        Row("Dentist at 10:00", "Dentist | 2026-12-09T10:00 | - | - | - | -"),
        Row("Standup at 17:30", "Standup | 2026-12-08T17:30 | - | - | - | -"),
        Row("Standup 9:45 p.m.", "Standup | 2026-12-08T21:45 | - | - | - | -"),
        Row("Lunch with Ana noon", "Lunch with Ana | 2026-12-08T12:00 | - | - | - | -"),
        Row("Lunch with Ana at noon tomorrow", "Lunch with Ana | 2026-12-09T12:00 | - | - | - | -"),
        Row("Report friday at 9:30am", "Report | 2026-12-11T09:30 | - | - | - | -"),
        Row("Dinner on 4 Jan at 7:30pm", "Dinner | 2027-01-04T19:30 | - | - | - | -"),
        Row("Birthday Jan 4th at 8pm", "Birthday | 2027-01-04T20:00 | - | - | - | -"),
        Row("Call tonight", "Call | 2026-12-08T20:00 | - | - | - | -"),
        Row("Call tonight at 9pm", "Call | 2026-12-08T21:00 | - | - | - | -"),
        Row("Midnight snack at 12am", "Midnight snack | 2026-12-09T00:00 | - | - | - | -"),
        // Repeats, starting at their first occurrence when no date is given.
        Row("Water plants daily", "Water plants | 2026-12-08 | FREQ=DAILY | - | - | -"),
        Row("Water plants every day at 9am", "Water plants | 2026-12-09T09:00 | FREQ=DAILY | - | - | -"),
        Row("Timesheet weekdays at 5pm", "Timesheet | 2026-12-08T17:00 | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR | - | - | -"),
        Row("Timesheet every weekday", "Timesheet | 2026-12-08 | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR | - | - | -"),
        Row("Gym weekly on mon,wed at 7am", "Gym | 2026-12-09T07:00 | FREQ=WEEKLY;BYDAY=MO,WE | - | - | -"),
        Row("Gym every monday", "Gym | 2026-12-14 | FREQ=WEEKLY;BYDAY=MO | - | - | -"),
        Row("Gym every tue and thu at 6pm", "Gym | 2026-12-08T18:00 | FREQ=WEEKLY;BYDAY=TU,TH | - | - | -"),
        Row("Review every 2 weeks", "Review | 2026-12-08 | FREQ=WEEKLY;INTERVAL=2 | - | - | -"),
        Row("Review every other week on fri", "Review | 2026-12-11 | FREQ=WEEKLY;INTERVAL=2;BYDAY=FR | - | - | -"),
        Row("Book club monthly on the last friday", "Book club | 2026-12-25 | FREQ=MONTHLY;BYDAY=-1FR | - | - | -"),
        Row("Pay rent monthly on the 15th", "Pay rent | 2026-12-15 | FREQ=MONTHLY;BYMONTHDAY=15 | - | - | -"),
        Row("Clean gutters every month on the 1st", "Clean gutters | 2027-01-01 | FREQ=MONTHLY;BYMONTHDAY=1 | - | - | -"),
        Row("Anniversary yearly on 4 Jan", "Anniversary | 2027-01-04 | FREQ=YEARLY | - | - | -"),
        Row("Car service annually", "Car service | 2026-12-08 | FREQ=YEARLY | - | - | -"),
        Row("Check backups hourly", "Check backups | 2026-12-08T11:00 | FREQ=HOURLY | - | - | -"),
        Row("Stretch every 3 hours", "Stretch | 2026-12-08T11:00 | FREQ=HOURLY;INTERVAL=3 | - | - | -"),
        Row("Weekly review", "review | 2026-12-08 | FREQ=WEEKLY | - | - | -"),
        // Priorities: p1 high, p2 medium, p3 low, p4 none; the first one counts.
        Row("Fix bug !high", "Fix bug | - | - | high | - | -"),
        Row("Fix bug !Medium", "Fix bug | - | - | medium | - | -"),
        Row("Fix bug p1", "Fix bug | - | - | high | - | -"),
        Row("Fix bug p2", "Fix bug | - | - | medium | - | -"),
        Row("Fix bug p3", "Fix bug | - | - | low | - | -"),
        Row("Fix bug p4", "Fix bug | - | - | none | - | -"),
        Row("Fix bug !low !high", "Fix bug !high | - | - | low | - | -"),
        Row("Fix bug p5", "Fix bug p5 | - | - | - | - | -"),
        Row("Fix bug!high", "Fix bug!high | - | - | - | - | -"),
        // Tags: a hash that starts a word and has a letter.
        Row("Groceries #home #errands", "Groceries | - | - | - | home,errands | -"),
        Row("Groceries #Home", "Groceries | - | - | - | home | -"),
        Row("Learn C# basics #study", "Learn C# basics | - | - | - | study | -"),
        Row("Close issue #42", "Close issue #42 | - | - | - | - | -"),
        Row("Email#tag", "Email#tag | - | - | - | - | -"),
        // Reminders, as many as typed.
        Row("Submit report tomorrow at 5pm remind me 2 hours before", "Submit report | 2026-12-09T17:00 | - | - | - | PT2H"),
        Row("Submit report fri remind me 15 minutes before remind me a day before", "Submit report | 2026-12-11 | - | - | - | PT15M,P1D"),
        // Ambiguous or unknown words stay in the title.
        Row("Call at 9", "Call at 9 | - | - | - | - | -"),
        Row("Meet 5/6", "Meet 5/6 | - | - | - | - | -"),
        Row("Meet at 25:00", "Meet at 25:00 | - | - | - | - | -"),
        Row("Tea at 13pm", "Tea at 13pm | - | - | - | - | -"),
        Row("Wait in 9999 years", "Wait in 9999 years"),
        Row("Pay 31 Feb", "Pay 31 Feb | - | - | - | - | -"),
        Row("Sat exam revision", "Sat exam revision | - | - | - | - | -"),
        Row("Buy sun cream", "Buy sun cream | - | - | - | - | -"),
        Row("Plan today's agenda", "Plan today's agenda | - | - | - | - | -"),
        Row("Wedding gift", "Wedding gift | - | - | - | - | -"),
        Row("Clean weekly on funday", "Clean on funday | 2026-12-08 | FREQ=WEEKLY"),
        Row("Party today tomorrow", "Party tomorrow | 2026-12-08 | - | - | - | -"),
        Row("Call at 9am at 5pm", "Call at 5pm | 2026-12-09T09:00 | - | - | - | -"),
        // All of it at once.
        Row("Pay rent every month on the 1st at 9am !high #home remind me 1 day before",
            "Pay rent | 2027-01-01T09:00 | FREQ=MONTHLY;BYMONTHDAY=1 | high | home | P1D"),
        Row("!low #work Standup every weekday at 9:15am remind me 5 minutes before",
            "Standup | 2026-12-09T09:15 | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR | low | work | PT5M"),
        // DST change days: a skipped time falls due an hour later, a doubled one at its first pass.
        Row("Night shift tomorrow at 2:30am", "Night shift | 2027-03-28T02:30 = 2027-03-28T01:30Z", Berlin, "2027-03-27T12:00"),
        Row("Night shift on 28 Mar at 2:30am", "Night shift | 2027-03-28T02:30 = 2027-03-28T01:30Z", Berlin, "2027-03-27T12:00"),
        Row("Backup every day at 2:30am", "Backup | 2027-03-28T02:30 = 2027-03-28T01:30Z | FREQ=DAILY", Berlin, "2027-03-27T12:00"),
        Row("Clocks change 2027-03-28", "Clocks change | 2027-03-28 all day = 2027-03-28T22:00Z", Berlin, "2027-03-27T12:00"),
        Row("Night shift tomorrow at 2:30am", "Night shift | 2026-10-25T02:30 = 2026-10-25T00:30Z", Berlin, "2026-10-24T12:00"),
        Row("Night shift 25 Oct 2026 at 2:30am", "Night shift | 2026-10-25T02:30 = 2026-10-25T00:30Z", Berlin, "2026-10-24T12:00"),
        Row("Night shift at 3am", "Night shift | 2026-10-25T03:00 = 2026-10-25T02:00Z", Berlin, "2026-10-25T02:30"),
        Row("Feed cat tomorrow at 2:30am", "Feed cat | 2027-03-14T02:30 = 2027-03-14T07:30Z", NewYork, "2027-03-13T12:00"),
        Row("Feed cat at 2:30am", "Feed cat | 2027-03-14T02:30 = 2027-03-14T07:30Z", NewYork, "2027-03-14T01:00"),
        Row("Feed cat tomorrow at 1:30am", "Feed cat | 2026-11-01T01:30 = 2026-11-01T05:30Z", NewYork, "2026-10-31T12:00"),
        Row("Feed cat at 9am", "Feed cat | 2026-11-01T09:00 = 2026-11-01T14:00Z", NewYork, "2026-10-31T12:00"),
    ];

    private static TestCaseData Row(string text, string outcome, string zone = Berlin, string now = Now) =>
        new TestCaseData(text, zone, now, outcome.Contains(" = ", StringComparison.Ordinal)).Returns(Complete(outcome)).SetArgDisplayNames($"\"{text}\" in {zone} at {now}");

    /// <summary>A row may stop after the due or the recurrence; what it leaves out is nothing.</summary>
    private static string Complete(string outcome)
    {
        var columns = outcome.Split(" | ").ToList();
        while (columns.Count < 6)
            columns.Add("-");
        return string.Join(" | ", columns);
    }
}
