using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Messaging.Specs.Infrastructure;

namespace TaskFlow.Messaging.Specs;

/// <summary>
/// A bucket's firing claims what falls due within its prepare window, then looks for what comes later in the bucket.
/// On a loaded machine the claim takes a while; a message due in between (past the claim's horizon, but within the
/// prepare window by the time the job looks further) must still go at its time, not at the repair sweep's.
/// </summary>
[Category(SpecCategories.Timing)]
public class When_claiming_due_messages_is_slow
{
    /// <summary>Slower than a claim on an idle machine by far; what a busy two-core machine showed (about half a second).</summary>
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMilliseconds(300);

    /// <summary>A missed message waits for the sweep (its grace and interval: 5 s each by default); on time is within this.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    [OneTimeSetUp]
    public void UseTokens() => SchedulerSpecs.UseReminderTokens();

    [Test]
    public async Task Should_send_a_message_due_just_past_the_claims_horizon_at_its_time()
    {
        await using var environment = await SpecEnvironment.CreateAsync("slowclaim");
        var host = await environment.StartSchedulerHostAsync(services: s => s.AddSingleton<IInterceptor>(new SlowClaims(ClaimDuration)));
        var second = DateTime.UtcNow;
        second = new DateTime(second.Ticks - (second.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        // Each bucket fires a second before it starts and claims up to about its start; a message due just after the start
        // falls between that claim's horizon and the look that follows it, a slow claim later. Seconds apart, so no
        // neighbouring bucket's firing (which takes the stragglers of earlier buckets) sends it in passing.
        var reminders = new[] { 4, 7, 10 }
            .Select(i => (Reminder: new Reminder(Guid.NewGuid(), $"due {i} s on"), Due: second.AddSeconds(i).AddMilliseconds(150)))
            .ToList();
        foreach (var (reminder, due) in reminders)
            await host.ScheduleAsync(reminder, due);

        await host.Recorder.WaitUntilAsync(items => items.Count(i => i.Message is Arrival) == reminders.Count, "every reminder",
            TimeSpan.FromSeconds(30));
        var arrivals = host.Arrivals().ToDictionary(a => a.Reminder);
        Assert.Multiple(() =>
        {
            foreach (var (reminder, due) in reminders)
                Assert.That(arrivals[reminder].ReceivedUtc, Is.InRange(due.AddMilliseconds(-50), due + Tolerance), string.Create(CultureInfo.InvariantCulture,
                    $"{reminder.Label}: arrived {(arrivals[reminder].ReceivedUtc - due).TotalMilliseconds:F0} ms after its time"));
        });
    }

    /// <summary>Holds each claim (the locking read of scheduled messages) for a while, as a busy database does.</summary>
    private sealed class SlowClaims(TimeSpan duration) : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FOR UPDATE SKIP LOCKED", StringComparison.Ordinal))
                await Task.Delay(duration, cancellationToken);
            return result;
        }
    }
}
