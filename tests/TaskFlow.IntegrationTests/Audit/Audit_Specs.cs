using System.Net;
using System.Text.Json;
using Npgsql;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Audit;

public class When_a_task_goes_through_its_life : SignedInSpec
{
    [Test]
    public async Task Should_audit_each_event_once_in_order()
    {
        var task = await User.CreateTaskAsync(new { title = "Audited", due = new { dateTime = "2427-05-01T09:00" } });
        (await User.PutTaskAsync(task.Id(), new { title = "Audited twice", due = new { dateTime = "2427-05-02T09:00" } }, ifMatch: "\"1\"")).EnsureSuccessStatusCode();
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/reopen", null)).EnsureSuccessStatusCode();
        (await User.DeleteAsync($"{TaskApi.Tasks}/{task.Id()}")).EnsureSuccessStatusCode();

        var history = (await Eventually.MatchesAsync(
            () => User.GetHistoryAsync(task.Id()),
            page => page?.GetProperty("items").GetArrayLength() >= 5, what: "five audit entries"))!.Value;

        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("type").GetString()), Is.EqualTo(new[] { "created", "updated", "completed", "reopened", "deleted" }));
        Assert.That(items.Select(i => i.GetProperty("taskVersion").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        var update = items[1].GetProperty("event");
        Assert.That(update.GetProperty("changed").EnumerateArray().Select(c => c.GetString()), Is.EquivalentTo(new[] { "title", "due" }));
        Assert.That(update.GetProperty("task").GetProperty("title").GetString(), Is.EqualTo("Audited twice"));
        var audited = await IntegrationSetup.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE task_id = @id", ("id", Guid.Parse(task.Id())));
        Assert.That(audited, Is.EqualTo(5), "each event exactly once");
    }

    [Test]
    public async Task Should_not_audit_an_update_that_changes_nothing()
    {
        var task = await User.CreateTaskAsync(new { title = "Same" });

        var same = await User.PutTaskAsync(task.Id(), new { title = "Same" }, ifMatch: "\"1\"");
        (await User.PostAsync($"{TaskApi.Tasks}/{task.Id()}/complete", null)).EnsureSuccessStatusCode();

        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var history = await Eventually.MatchesAsync(
            () => User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/history"),
            page => page.GetProperty("items").GetArrayLength() >= 2, what: "created and completed");
        Assert.That(history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()), Is.EqualTo(new[] { "created", "completed" }));
    }

    [Test]
    public async Task Should_filter_the_log_by_type_and_time()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = await User.CreateTaskAsync(new { title = "One" });
        await User.CreateTaskAsync(new { title = "Two" });
        (await User.PostAsync($"{TaskApi.Tasks}/{first.Id()}/complete", null)).EnsureSuccessStatusCode();

        var all = await Eventually.MatchesAsync(
            () => User.GetJsonAsync($"/api/v1/audit?from={Uri.EscapeDataString(before.ToString("O"))}"),
            page => page.GetProperty("items").GetArrayLength() >= 3, what: "three entries");
        var completed = await User.GetJsonAsync("/api/v1/audit?type=completed");
        var future = await User.GetJsonAsync($"/api/v1/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");

        Assert.That(all.GetProperty("items").GetArrayLength(), Is.EqualTo(3));
        Assert.That(completed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()), Is.EqualTo(new[] { first.Id() }));
        Assert.That(future.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("/api/v1/audit?type=renamed", "type")]
    [TestCase("/api/v1/audit?from=yesterday", "from")]
    [TestCase("/api/v1/audit?limit=0", "limit")]
    [TestCase("/api/v1/audit?cursor=abc", "cursor")]
    public async Task Should_answer_400_naming_a_bad_parameter(string url, string field) =>
        await (await User.GetAsync(url)).ShouldNameFieldAsync(field);
}

public class When_another_user_reads_the_audit_log
{
    [Test]
    public async Task Should_see_none_of_the_owners_entries()
    {
        using var alice = await IntegrationSetup.Api.NewUserAsync();
        using var bob = await IntegrationSetup.Api.NewUserAsync();
        var task = await alice.CreateTaskAsync(new { title = "Alice's" });
        await Eventually.MatchesAsync(
            () => alice.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}/history"),
            page => page.GetProperty("items").GetArrayLength() == 1, what: "Alice's entry");

        var history = await bob.GetAsync($"{TaskApi.Tasks}/{task.Id()}/history");
        var log = await bob.GetJsonAsync("/api/v1/audit");

        await history.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.That(log.GetProperty("items").GetArrayLength(), Is.Zero);
    }
}

/// <summary>
/// Against a database of its own: were the append-only guard to regress, these statements would succeed, and on the
/// database every other spec shares they would wipe or rewrite those specs' audit entries mid-run.
/// </summary>
public class When_someone_tries_to_rewrite_the_audit_log
{
    private TestDatabase database = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => database = await TaskFlowDatabase.CreateAsync("audit-rewrite");

    [OneTimeTearDown]
    public async Task DropDatabase() => await database.DisposeAsync();

    [TestCase("UPDATE audit_log SET event_type = 'created'")]
    [TestCase("DELETE FROM audit_log")]
    [TestCase("TRUNCATE audit_log")]
    public async Task Should_be_refused_by_the_database(string sql)
    {
        // An entry as the audit consumer writes it; inserting is what the log allows.
        var taskId = Guid.NewGuid();
        await database.ExecuteAsync($$"""
            INSERT INTO audit_log (event_id, occurred_at, owner_id, task_id, task_version, event_type, payload)
            VALUES (gen_random_uuid(), now(), gen_random_uuid(), '{{taskId}}', 1, 'completed', '{}')
            """);

        var refusal = Assert.ThrowsAsync<PostgresException>(() => database.ScalarAsync<object>(sql));

        Assert.That(refusal!.MessageText, Does.Contain("append-only"));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE task_id = @id AND event_type = 'completed'", ("id", taskId)),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Should_refuse_to_truncate_a_month_partition_directly()
    {
        var partition = await database.ScalarAsync<string>(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_log'::regclass LIMIT 1");

        var refusal = Assert.ThrowsAsync<PostgresException>(() => database.ScalarAsync<object>($"TRUNCATE {partition}"));

        Assert.That(refusal!.MessageText, Does.Contain("append-only"));
    }
}

public class When_the_audit_log_reaches_a_month_without_a_partition
{
    [Test]
    public async Task Should_create_the_partition_and_record_the_event()
    {
        var farFuture = new DateTimeOffset(2431, 7, 15, 12, 0, 0, TimeSpan.Zero);
        var eventId = Guid.NewGuid();
        var message = new TaskFlow.Contracts.TaskCreated(eventId, Guid.NewGuid(), Guid.NewGuid(), 1, farFuture,
            new TaskFlow.Contracts.TaskSnapshot("Later", null, "none", [], "open", null, [], null, null));

        await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.created", MassTransitEnvelope(message, "TaskCreated"), "application/vnd.masstransit+json");

        await Eventually.MatchesAsync(
            () => IntegrationSetup.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_id = @id", ("id", eventId)),
            count => count == 1, what: "the far-future event in the audit log");
        Assert.That(await IntegrationSetup.Database.ScalarAsync<string>("SELECT to_regclass('audit_log_2431_07')::text"), Is.EqualTo("audit_log_2431_07"));
    }

    /// <summary>The JSON envelope MassTransit puts on the wire.</summary>
    internal static string MassTransitEnvelope(object message, string type, Guid? messageId = null) => JsonSerializer.Serialize(new
    {
        messageId = messageId ?? Guid.NewGuid(),
        messageType = new[] { $"urn:message:TaskFlow.Contracts:{type}" },
        message,
    }, Web);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}

public class When_the_audit_consumer_meets_duplicates_and_poison
{
    [Test]
    public async Task Should_record_a_message_delivered_twice_once()
    {
        var eventId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var taskId = Guid.NewGuid();
        var message = new TaskFlow.Contracts.TaskCompleted(eventId, taskId, Guid.NewGuid(), 2, DateTimeOffset.UtcNow,
            new TaskFlow.Contracts.TaskSnapshot("Twice", null, "none", [], "completed", null, [], null, DateTimeOffset.UtcNow));
        var body = When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(message, "TaskCompleted", messageId);

        await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.completed", body, "application/vnd.masstransit+json");
        await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.completed", body, "application/vnd.masstransit+json");
        // Same task: the audit consumer takes one task's events one at a time, so the marker comes after both copies.
        await MarkerAsync(taskId);

        Assert.That(await IntegrationSetup.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_id = @id", ("id", eventId)), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_park_a_poison_message_in_the_error_queue_and_carry_on()
    {
        await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.created", "{ this is not json", "application/vnd.masstransit+json");
        // Waiting for it is the "carry on": a good event published behind the poison one is audited.
        await MarkerAsync();

        var parked = await Eventually.MatchesAsync(
            async () => (await IntegrationSetup.Broker.PeekAsync("taskflow-audit_error", 100)).FirstOrDefault(IsPoison),
            message => message.ValueKind != JsonValueKind.Undefined, what: "the poison message in taskflow-audit_error");
        // Whoever looks at the queue learns why it is there: the body is not JSON.
        var headers = parked.GetProperty("properties").GetProperty("headers");
        Assert.That(headers.TryGetProperty("MT-Fault-ExceptionType", out var exception) ? exception.GetString() : null,
            Does.Contain("Json"), headers.ToString());
    }

    /// <summary>
    /// Publishes a good event after whatever came before and waits for it. Events of other tasks run in parallel, so only
    /// for earlier events of <paramref name="taskId"/> does its arrival mean the consumer has moved past them.
    /// </summary>
    private static bool IsPoison(JsonElement message) =>
        message.GetProperty("payload").GetString()!.Contains("this is not json", StringComparison.Ordinal);

    private static async Task MarkerAsync(Guid? taskId = null)
    {
        var eventId = Guid.NewGuid();
        var marker = new TaskFlow.Contracts.TaskReopened(eventId, taskId ?? Guid.NewGuid(), Guid.NewGuid(), 3, DateTimeOffset.UtcNow,
            new TaskFlow.Contracts.TaskSnapshot("Marker", null, "none", [], "open", null, [], null, null));
        await IntegrationSetup.Broker.PublishRawAsync("taskflow.tasks.reopened",
            When_the_audit_log_reaches_a_month_without_a_partition.MassTransitEnvelope(marker, "TaskReopened"), "application/vnd.masstransit+json");
        await Eventually.MatchesAsync(
            () => IntegrationSetup.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE event_id = @id", ("id", eventId)),
            count => count == 1, what: "the marker event");
    }
}
