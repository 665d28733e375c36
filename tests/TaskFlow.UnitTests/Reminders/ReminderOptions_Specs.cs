using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskFlow.Components.Reminders;

namespace TaskFlow.UnitTests.Reminders;

public sealed class When_the_worker_reads_the_reminder_settings
{
    [Test]
    public void Should_keep_todays_durations_when_the_section_is_absent()
    {
        var options = Resolve([]);

        Assert.That((options.DiscardedKeptFor, options.RefreshHorizon), Is.EqualTo((TimeSpan.FromDays(1), TimeSpan.FromSeconds(10))));
    }

    [Test]
    public void Should_take_the_durations_of_the_Reminders_section()
    {
        var options = Resolve(new() { ["Reminders:DiscardedKeptFor"] = "06:00:00", ["Reminders:RefreshHorizon"] = "00:00:30" });

        Assert.That((options.DiscardedKeptFor, options.RefreshHorizon), Is.EqualTo((TimeSpan.FromHours(6), TimeSpan.FromSeconds(30))));
    }

    [TestCase("Reminders:DiscardedKeptFor", "00:00:00", "Reminders:RefreshHorizon")]
    [TestCase("Reminders:RefreshHorizon", "-00:00:01", "Reminders:DiscardedKeptFor")]
    public void Should_refuse_a_duration_that_makes_no_sense_naming_it(string key, string value, string otherKey)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.That(refused!.Message, Does.Contain(key).And.Not.Contain(otherKey));
    }

    private static ReminderOptions Resolve(Dictionary<string, string?> settings)
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMassTransit(bus => bus.AddTaskFlowReminders())
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ReminderOptions>>().Value;
    }
}
