using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using MassTransit.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TaskFlow.Api.Notifications;
using TaskFlow.Components.Hosting;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Notifications;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Messaging;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Scheduling;
using static TaskFlow.IntegrationTests.Infrastructure.HostMetrics;

namespace TaskFlow.IntegrationTests.Operations;

/// <summary>
/// An API and a worker of their own with telemetry on and in-memory exporters, on the real PostgreSQL and RabbitMQ.
/// Both hosts run in this process and share its ActivitySources, so spans are told apart by what they are (kind,
/// name, consumer type, tags), never by which host exported them.
/// </summary>
[NonParallelizable]
public sealed class When_Telemetry_follows_a_change_from_the_request_to_the_browser
{
    private const string ConsumerType = DiagnosticHeaders.ConsumerType;

    private readonly ExportedCollection<Activity> spans = new();
    private readonly ExportedCollection<MetricSnapshot> apiMetrics = new();
    private readonly ExportedCollection<MetricSnapshot> workerMetrics = new();
    private TestDatabase database = null!;
    private TestVirtualHost broker = null!;
    private TaskFlowApiFactory api = null!;
    private IHost worker = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await TaskFlowDatabase.CreateAsync("telemetry");
        broker = await TestVirtualHost.CreateAsync("telemetry");
        var settings = new Dictionary<string, string> { ["Telemetry:Enabled"] = "true", ["Database:MaxPoolSize"] = "10" };
        api = new TaskFlowApiFactory(database.ConnectionString, broker.ConnectionString, settings: settings, services: services => services
            .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
            .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(apiMetrics)));
        worker = await WorkerHost.StartAsync(database.ConnectionString, broker.ConnectionString, configure: host =>
        {
            foreach (var (key, value) in settings)
                host.Configuration[key] = value;
            host.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(workerMetrics));
        });
        await NotificationListener.WaitUntilTheApiListensAsync(api, broker);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await api.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task One_trace_spans_the_request_the_audit_consumer_and_the_push()
    {
        using var user = await api.NewUserAsync();
        await using var browser = await NotificationListener.ConnectAsync(api, user.DefaultRequestHeaders.Authorization!.Parameter!);

        var id = Guid.Parse((await user.CreateTaskAsync(new { title = "Traced" })).Id());
        await browser.WaitForAsync(n => n.TaskId == id && n.Kind == "task.created");

        var push = await PushSpanAsync(id, "task.created");
        var trace = (await Eventually.MatchesAsync(() => Task.FromResult(Trace(push.TraceId)),
            t => t.Spans.Any(IsCreateRequest) && t.Spans.Any(s => IsConsumeBy(s, "AuditConsumer")), what: "the request and the audit consume in the push's trace")).Spans;
        await TestContext.Out.WriteLineAsync(Describe(trace));

        var request = trace.Single(IsCreateRequest);
        var audit = trace.First(s => IsConsumeBy(s, "AuditConsumer"));
        Assert.Multiple(() =>
        {
            Assert.That(request.ParentSpanId, Is.EqualTo(default(ActivitySpanId)), "the request starts the trace");
            Assert.That(Ancestors(audit, trace), Does.Contain(request), "the audit consume descends from the request");
            Assert.That(Ancestors(push, trace), Does.Contain(request), "the push descends from the request");
            Assert.That(Ancestors(push, trace).Any(s => s.Kind == ActivityKind.Consumer && s.Source.Name == DiagnosticHeaders.DefaultListenerName),
                "the push runs inside the API's consume");
            Assert.That(trace.Any(s => s.DisplayName == MessagingTelemetry.OutboxDeliver), "the outbox delivery is part of it");
        });
    }

    [Test]
    public async Task A_reminder_sent_by_the_scheduler_continues_the_trace_of_the_request_that_set_it()
    {
        using var user = await api.NewUserAsync();
        await using var browser = await NotificationListener.ConnectAsync(api, user.DefaultRequestHeaders.Authorization!.Parameter!);

        var id = Guid.Parse((await user.CreateTaskAsync(ReminderApi.WithReminderAt("Traced reminder", ReminderApi.SecondsAhead(3)))).Id());
        await browser.WaitForAsync(n => n.TaskId == id && n.Kind == "reminder.triggered", TimeSpan.FromSeconds(20));

        var push = await PushSpanAsync(id, "reminder.triggered");
        var trace = (await Eventually.MatchesAsync(() => Task.FromResult(Trace(push.TraceId)),
            t => t.Spans.Any(IsCreateRequest) && t.Spans.Any(s => s.DisplayName == MessagingTelemetry.ScheduledSend),
            what: "the request and the scheduler's send in the push's trace")).Spans;
        await TestContext.Out.WriteLineAsync(Describe(trace));

        var request = trace.Single(IsCreateRequest);
        var scheduledSend = trace.Single(s => s.DisplayName == MessagingTelemetry.ScheduledSend);
        Assert.Multiple(() =>
        {
            Assert.That(Ancestors(scheduledSend, trace), Does.Contain(request), "the delayed send descends from the request");
            Assert.That(Ancestors(push, trace), Does.Contain(scheduledSend), "the reminder's push descends from the delayed send");
            // The saga stores its schedule in its own transaction (ADR 0007): no ScheduleMessage consume in between.
            Assert.That(Ancestors(scheduledSend, trace).Any(s => IsConsumeBy(s, "ReminderStateMachine")),
                "the send is a child of the saga's consume that stored it");
        });
    }

    [Test]
    public async Task The_meters_report_the_outbox_backlog_reminder_lateness_scheduling_and_pushes()
    {
        // A consumer's captured message whose consume never finishes: stuck in the outbox for five minutes.
        await database.ScalarAsync<object>("""
            INSERT INTO inbox_state (message_id, consumer_id, lock_id, received, receive_count) VALUES (@m, @c, @c, now(), 1);
            INSERT INTO outbox_message (sent_time, inbox_message_id, inbox_consumer_id, message_id, content_type, message_type, body)
            VALUES (now() - interval '5 minutes', @m, @c, @m, 'application/json', 'urn:message:Stuck', '{}');
            """, ("m", Guid.NewGuid()), ("c", Guid.NewGuid()));
        using var user = await api.NewUserAsync();
        await using var browser = await NotificationListener.ConnectAsync(api, user.DefaultRequestHeaders.Authorization!.Parameter!);
        var task = await user.CreateTaskAsync(ReminderApi.WithReminderAt("Measured reminder", ReminderApi.SecondsAhead(2)));
        await user.ReminderInStateAsync(task.Id(), "fired");
        await browser.WaitForAsync(n => n.TaskId == Guid.Parse(task.Id()) && n.Kind == "reminder.triggered");

        // The backlog gauges hand out the delivery service's last reading, taken every 10 s: wait for one that has seen the
        // stuck message rather than racing the next reading.
        var fromApi = await Eventually.MatchesAsync(() => Task.FromResult(Collect(api.Services, apiMetrics)),
            metrics => Gauge(metrics, OutboxMetrics.Backlog) >= 1, TimeSpan.FromSeconds(30), "a backlog reading that counts the stuck message");
        var fromWorker = Collect(worker.Services, workerMetrics);
        // Each fired reminder's lateness as the database keeps it (sent at, against the time it was due): the meter must
        // report the same seconds, which a reading in milliseconds, or in any other unit, would miss a thousandfold.
        var fired = await database.ScalarAsync<long>("SELECT count(*) FROM reminder_state WHERE fired_at IS NOT NULL");
        var lateness = await database.ScalarAsync<double>(
            "SELECT coalesce(sum(extract(epoch FROM fired_at - fire_at)), 0)::float8 FROM reminder_state WHERE fired_at IS NOT NULL");
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{fired} reminders fired, {lateness:F6} s late in all by the database; the meter reports {HistogramCount(fromWorker, TaskFlowTelemetry.ReminderLateness)} " +
            $"for {HistogramSum(fromWorker, TaskFlowTelemetry.ReminderLateness):F6}"));

        Assert.Multiple(() =>
        {
            Assert.That(Gauge(fromApi, OutboxMetrics.Backlog), Is.GreaterThanOrEqualTo(1), "the stuck message is counted");
            Assert.That(Gauge(fromApi, OutboxMetrics.OldestAge), Is.InRange(300, 3600), "and its age, in seconds");
            Assert.That(Sum(fromApi, TaskFlowTelemetry.NotificationsPushed), Is.GreaterThanOrEqualTo(2), "created and reminder pushes");
            Assert.That(HistogramCount(fromWorker, TaskFlowTelemetry.ReminderLateness), Is.EqualTo(fired).And.GreaterThanOrEqualTo(1),
                "a lateness for each fired reminder");
            Assert.That(lateness, Is.GreaterThan(0.00001), "reminders fired late enough (10 µs) for a unit mix-up to show");
            Assert.That(HistogramSum(fromWorker, TaskFlowTelemetry.ReminderLateness), Is.EqualTo(lateness).Within(0.00005 * fired),
                "the lateness in seconds, as the database has it (to 50 µs a reminder)");
            Assert.That(Sum(fromWorker, SchedulerMetrics.Scheduled), Is.GreaterThanOrEqualTo(1), "the reminder was scheduled");
            Assert.That(Sum(fromWorker, SchedulerMetrics.Sent), Is.GreaterThanOrEqualTo(1), "and sent");
        });
    }

    private async Task<Activity> PushSpanAsync(Guid taskId, string kind)
    {
        var found = await Eventually.MatchesAsync(() => Task.FromResult(spans.Snapshot().FirstOrDefault(s =>
                s.Source.Name == TaskFlowTelemetry.SourceName && s.DisplayName == LiveNotifier.PushSpan
                && s.GetTagItem("taskflow.task.id") as string == taskId.ToString() && s.GetTagItem("taskflow.notification.kind") as string == kind)),
            s => s is not null, what: $"the {kind} push span");
        return found!;
    }

    private SpanTree Trace(ActivityTraceId traceId) => new([.. spans.Snapshot().Where(s => s.TraceId == traceId)]);

    /// <summary>A trace's spans, printed whole when a wait for them times out.</summary>
    private sealed record SpanTree(List<Activity> Spans)
    {
        public override string ToString() => Describe(Spans);
    }

    private static bool IsCreateRequest(Activity span) =>
        span.Kind == ActivityKind.Server && span.GetTagItem("http.request.method") as string == "POST"
        && span.GetTagItem("http.route") is string route && route.TrimEnd('/') == TaskApi.Tasks;

    private static bool IsConsumeBy(Activity span, string consumer) =>
        span.Kind == ActivityKind.Consumer && span.GetTagItem(ConsumerType) is string type && type.Contains(consumer, StringComparison.Ordinal);

    /// <summary>The span's parents within the trace, up to the first one not exported (none, when the tree is whole).</summary>
    private static List<Activity> Ancestors(Activity span, List<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var ancestors = new List<Activity>();
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
            ancestors.Add(next);
        return ancestors;
    }

    private static string Describe(List<Activity> trace)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"trace {trace[0].TraceId}, {trace.Count} spans:");
        foreach (var span in trace.OrderBy(s => s.StartTimeUtc))
        {
            var consumer = span.GetTagItem(ConsumerType) is string type ? $" ({type})" : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {span.StartTimeUtc:HH:mm:ss.fff} {span.SpanId} <- {span.ParentSpanId} {span.Kind,-8} [{span.Source.Name}] {span.DisplayName}{consumer}");
        }
        return text.ToString();
    }
}
