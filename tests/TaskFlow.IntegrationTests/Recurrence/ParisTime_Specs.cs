using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using static TaskFlow.IntegrationTests.Recurrence.SeriesApi;

namespace TaskFlow.IntegrationTests.Recurrence;

/// <summary>
/// The series specs write "a few seconds from now" as Paris shows it. In the hour Paris repeats when its clocks go back,
/// that must still be the instant meant, or a run between 01:00 and 02:00 UTC on the last Sunday of October fails.
/// </summary>
public sealed class When_a_spec_writes_a_due_time_in_Paris : SignedInSpec
{
    // 2426-10-25 is the last Sunday of October: Paris shows 02:00 to 03:00 twice, first at +02:00, then at +01:00.
    [TestCase("2426-10-25T00:30:00Z")]
    [TestCase("2426-10-25T01:30:00Z")]
    [TestCase("2426-07-01T12:00:00Z")]
    public async Task Should_fall_due_at_the_instant_it_stands_for(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var task = await User.CreateTaskAsync(new { title = "On the dot", due = new { dateTime = Paris(at), timeZone = Zone } });

        Assert.That(task.GetProperty("due").GetProperty("at").GetDateTimeOffset(), Is.EqualTo(at));
    }
}
