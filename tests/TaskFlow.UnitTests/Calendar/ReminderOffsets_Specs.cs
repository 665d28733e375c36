using TaskFlow.Components.Calendar;

namespace TaskFlow.UnitTests.Calendar;

public class When_reading_a_reminder_offset
{
    [TestCase("PT15M", 15)]
    [TestCase("pt1h30m", 90)]
    [TestCase("P2D", 2 * 24 * 60)]
    [TestCase("P1DT2H", 26 * 60)]
    [TestCase("P1W", 7 * 24 * 60)]
    [TestCase("15 minutes", 15)]
    [TestCase("1 minute", 1)]
    [TestCase("1 hour", 60)]
    [TestCase("2 days", 2 * 24 * 60)]
    [TestCase("1 week", 7 * 24 * 60)]
    [TestCase(" 0 minutes ", 0)]
    public void Should_accept_ISO_and_plain_forms(string text, int minutes)
    {
        Assert.That(ReminderOffsets.TryParse(text, out var offset, out var error), Is.True, error);
        Assert.That(offset, Is.EqualTo(TimeSpan.FromMinutes(minutes)));
    }

    [TestCase("-PT15M", "negative")]
    [TestCase("-15 minutes", "negative")]
    [TestCase("P1M", "duration")]
    [TestCase("P1Y", "duration")]
    [TestCase("15 fortnights", "duration")]
    [TestCase("", "duration")]
    [TestCase("soon", "duration")]
    [TestCase("P400D", "365")]
    public void Should_refuse_what_is_not_a_fixed_positive_duration(string text, string reason)
    {
        Assert.That(ReminderOffsets.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Should_format_in_canonical_ISO_8601()
    {
        Assert.That(ReminderOffsets.Format(TimeSpan.FromMinutes(15)), Is.EqualTo("PT15M"));
        Assert.That(ReminderOffsets.Format(TimeSpan.FromDays(2)), Is.EqualTo("P2D"));
    }
}
