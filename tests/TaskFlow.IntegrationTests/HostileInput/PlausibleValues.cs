using CsCheck;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// Values the API accepts, by field or parameter name (any case), for the fields beside the hostile one: with every
/// field hostile, each request would die on the first check and none would reach the deep ones (rules, dates, the
/// database). A field named nowhere here still gets hostile values and a plain one of its schema's type.
/// </summary>
public static class PlausibleValues
{
    private static readonly Dictionary<string, Gen<string>> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = Gen.OneOf("Plan the week", "Call the bank", "Renew the passport"),
        ["description"] = Gen.OneOf("Bring the papers", "Second floor, ask for Ada"),
        ["priority"] = Gen.OneOf("none", "low", "medium", "high", "high,low"),
        ["tags"] = Gen.OneOf("work", "home", "errands"),
        ["tag"] = Gen.OneOf("work", "home"),
        ["reminders"] = Gen.OneOf("PT15M", "1 day", "P1D", "PT1H"),
        ["recurrence"] = Gen.OneOf("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "weekdays", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=DAILY;COUNT=5",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ["version"] = Gen.OneOf("1", "2", "3"),
        ["recurrenceMode"] = Gen.OneOf("schedule", "completion"),
        ["recurrenceLead"] = Gen.OneOf("P1D", "PT1H", "P7D"),
        ["dateTime"] = Gen.OneOf("2427-03-01T09:00", "2427-06-15T18:30+02:00", "2427-10-31T02:30", "2427-03-28T02:30"),
        ["date"] = Gen.OneOf("2427-03-01", "2427-12-31", "2428-02-29"),
        ["timeZone"] = Gen.OneOf("Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT+12"),
        ["password"] = Gen.Const("correct horse battery staple"),
        ["minutes"] = Gen.OneOf("10", "1", "1440"),
        ["live"] = Gen.OneOf("task.created", "reminder.triggered", "occurrence.created"),
        ["start"] = Gen.OneOf("22:00", "00:00"),
        ["end"] = Gen.OneOf("07:00", "23:59"),
        ["q"] = Gen.OneOf("plan", "week -bank", "bank or plan", "\"the week\""),
        ["status"] = Gen.OneOf("open", "completed"),
        ["dueBefore"] = Gen.OneOf("2427-06-01", "2427-06-01T00:00Z"),
        ["dueAfter"] = Gen.OneOf("2026-01-01", "2026-01-01T00:00+01:00"),
        ["overdue"] = Gen.OneOf("true", "false"),
        ["sort"] = Gen.OneOf("due", "priority", "created", "title"),
        ["order"] = Gen.OneOf("asc", "desc"),
        ["limit"] = Gen.OneOf("10", "100", "1"),
        ["count"] = Gen.OneOf("5", "100", "1"),
        ["from"] = Gen.OneOf("2026-01-01T00:00Z", "2026-12-01"),
        ["to"] = Gen.OneOf("2430-01-01T00:00Z", "2427-01-01"),
        ["type"] = Gen.OneOf("created", "updated", "deleted"),
        ["after"] = Gen.OneOf("0", "1"),
    };

    /// <summary>A fresh address, or one that is taken (the other user's): signing up twice and signing in as them are both tried.</summary>
    public static Gen<string> Email(KnownIds ids) => HostileValues.AnyOf(
        Gen.Guid.Select(g => $"fuzz-{g:N}@example.com"),
        Gen.Int[0, int.MaxValue].Select(i => ids.Emails.Count == 0 ? "nobody@example.com" : ids.Emails[i % ids.Emails.Count]));

    public static Gen<string>? For(string name, KnownIds ids) =>
        name.Equals("email", StringComparison.OrdinalIgnoreCase) ? Email(ids) : ByName.GetValueOrDefault(name);
}
