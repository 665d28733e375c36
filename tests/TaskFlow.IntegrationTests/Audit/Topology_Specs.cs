using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Audit;

public class When_an_operator_opens_the_rabbitmq_console
{
    [Test]
    public async Task Should_see_exchanges_named_like_the_topics_and_queues_named_by_consumer()
    {
        // The API declares its live queue's bindings when its bus starts, with the host.
        _ = IntegrationSetup.Api.Server;
        var exchanges = await Eventually.MatchesAsync(
            () => IntegrationSetup.Broker.ExchangeNamesAsync(),
            names => names.Contains("taskflow.tasks.deleted") && names.Contains("taskflow.reminders.schedule") && names.Contains("taskflow.notifications.added"),
            what: "the task, reminder and notification exchanges");
        var queues = await Eventually.MatchesAsync(
            () => IntegrationSetup.Broker.QueueNamesAsync(),
            names => names.Contains("taskflow-audit") && names.Contains("taskflow-scheduler"), what: "the consumers' queues");

        Assert.That(exchanges, Is.SupersetOf(new[]
        {
            "taskflow.tasks.created", "taskflow.tasks.updated", "taskflow.tasks.completed", "taskflow.tasks.reopened", "taskflow.tasks.deleted",
            "taskflow.reminders.schedule", "taskflow.reminders.cancel", "taskflow.reminders.snooze", "taskflow.reminders.expired", "taskflow.tasks.reminder-triggered",
            "taskflow.series.changed", "taskflow.recurrence.create-next-occurrence", "taskflow.notifications.added",
        }));
        Assert.That(exchanges.Where(e => e.StartsWith("TaskFlow.", StringComparison.Ordinal)), Is.Empty, "every TaskFlow message is named");
        Assert.That(exchanges.Where(e => e.Contains("ITaskEvent", StringComparison.Ordinal)), Is.Empty);
        Assert.That(queues, Is.SupersetOf(new[] { "taskflow-audit", "taskflow-reminder-planner", "taskflow-reminders", "taskflow-scheduler", "taskflow-recurrence", "taskflow-notifications" }));
    }
}
