using Npgsql;
using TaskFlow.Components.Data;

namespace TaskFlow.UnitTests.Infrastructure;

public class When_the_hosts_take_their_connection_settings
{
    private const string Given = "Host=127.0.0.1;Database=taskflow;Username=taskflow;Password=taskflow";

    [Test]
    public void Should_bound_the_pool_and_leave_connections_unreset()
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults(Given, maxPoolSize: 7));
        Assert.Multiple(() =>
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(7));
            Assert.That(settings.NoResetOnClose, Is.True, "no DISCARD ALL, a transaction of its own, on every use");
            Assert.That(settings.MaxAutoPrepare, Is.Zero, "no automatic preparing (npgsql/npgsql#6391)");
        });
    }

    [TestCase("Maximum Pool Size=3;No Reset On Close=false")]
    [TestCase("MaxPoolSize=3;NoResetOnClose=false")]
    public void Should_keep_what_the_connection_string_says(string own)
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults($"{Given};{own}", maxPoolSize: 7));
        Assert.Multiple(() =>
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(3));
            Assert.That(settings.NoResetOnClose, Is.False);
        });
    }
}
