using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Notifications;
using TaskFlow.IntegrationTests.Reminders;
using TaskFlow.IntegrationTests.Tasks;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Faults;

/// <summary>
/// TaskFlow scaled out: two API and two worker processes on one PostgreSQL and one RabbitMQ, under a mixed load from
/// users with a client on each API, while one API and one worker are SIGKILLed and started again. Afterwards every
/// effect must be there exactly once: what the database committed is what was audited, notified and pushed.
/// </summary>
[NonParallelizable]
public sealed class When_two_apis_and_two_workers_share_the_load_and_one_of_each_crashes
{
    private const int Users = 4;

    /// <summary>Tasks created before the crash, and again after it.</summary>
    private const int TasksEachSide = 80;

    [Test]
    public async Task Every_committed_change_is_audited_reminded_repeated_and_shown_to_every_client_once()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("scalecrash");
        await using var broker = await TestVirtualHost.CreateAsync("scalecrash");
        await using var watcher = await ReminderWatcher.StartAsync(broker.ConnectionString, "taskflow-test-scalecrash-watch");
        // Four hosts share PostgreSQL's 100 connections with the rest of the suite.
        HostProcess Small(HostProcess host) => host.With("Database__MaxPoolSize", "10");
        await using var apiOne = Small(HostProcess.Api(database.ConnectionString, broker.ConnectionString));
        await using var apiTwo = Small(HostProcess.Api(database.ConnectionString, broker.ConnectionString));
        await using var workerOne = Small(HostProcess.Worker(database.ConnectionString, broker.ConnectionString));
        await using var workerTwo = Small(HostProcess.Worker(database.ConnectionString, broker.ConnectionString));
        await Task.WhenAll(apiOne.StartAsync(), apiTwo.StartAsync(), workerOne.StartAsync(), workerTwo.StartAsync());
        await Task.WhenAll(workerOne.WaitReadyAsync(), workerTwo.WaitReadyAsync());

        var users = new List<User>();
        for (var i = 0; i < Users; i++)
            users.Add(await User.SignUpAsync(apiOne.BaseAddress, apiTwo.BaseAddress));
        var clients = new List<(User User, CatchingUpClient Client, string Api)>();
        foreach (var user in users)
        {
            clients.Add((user, await CatchingUpClient.ConnectAsync(apiOne.BaseAddress, user.Token), "one"));
            clients.Add((user, await CatchingUpClient.ConnectAsync(apiTwo.BaseAddress, user.Token), "two"));
        }

        try
        {
            // The crash lands in the middle of the load, and the load goes on through it until as much again is done.
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var load = Task.WhenAll(users.Select(u => u.DriveAsync(stop.Token)));
            await Eventually.MatchesAsync(() => TasksAsync(database), n => n >= TasksEachSide, TimeSpan.FromSeconds(60), "the load under way");
            await Task.WhenAll(apiOne.KillAsync(), workerOne.KillAsync());
            var killedAt = clock.Elapsed;
            var tasksAtKill = await TasksAsync(database);
            await Task.WhenAll(apiOne.StartAsync(), workerOne.StartAsync());
            var backAt = clock.Elapsed;
            await Eventually.MatchesAsync(() => TasksAsync(database), n => n >= tasksAtKill + TasksEachSide, TimeSpan.FromSeconds(60), "the load after the restart");
            await stop.CancelAsync();
            await load;
            var loadFor = clock.Elapsed;

            // Settled: every reminder planned has fired, every event reached every consumer, every queue is empty.
            var reminders = await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE cardinality(reminder_offsets) > 0");
            await Eventually.MatchesAsync(
                () => database.ScalarAsync<long>("SELECT count(*) FROM reminder_state WHERE current_state = 'Fired'"),
                n => n == reminders, TimeSpan.FromSeconds(90), $"all {reminders} reminders fired");
            await Eventually.MatchesAsync(
                async () => (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log"), await database.ScalarAsync<long>("SELECT coalesce(sum(version), 0) FROM tasks")),
                c => c.Item1 == c.Item2, TimeSpan.FromSeconds(60), "an audit entry for every committed version");
            await Eventually.MatchesAsync(
                async () => (await database.ScalarAsync<long>("SELECT count(*) FROM notifications"), await ExpectedNotificationsAsync(database)),
                c => c.Item1 == c.Item2, TimeSpan.FromSeconds(60), "a notification for every event");
            // The APIs' live queues come and go with their instances (the killed one's is deleted with its connection);
            // what they carried is checked at the clients below.
            foreach (var queue in (await broker.QueueNamesAsync())
                         .Where(q => q.StartsWith("taskflow-", StringComparison.Ordinal) && !q.StartsWith("taskflow-live-", StringComparison.Ordinal)))
                await Eventually.MatchesAsync(() => broker.WaitingAsync(queue), n => n == 0, TimeSpan.FromSeconds(30), $"{queue} empty");
            await Eventually.MatchesAsync(() => Task.FromResult(watcher.All.Select(d => d.Reminder.ReminderId).Distinct().Count()),
                n => n == reminders, TimeSpan.FromSeconds(30), "every reminder at the watcher");

            // Then each client reads what it may have missed, as the page does on its next connect.
            foreach (var (_, client, _) in clients)
                await client.CatchUpAsync();

            var inboxes = new Dictionary<Guid, HashSet<long>>();
            foreach (var user in users)
                inboxes[user.Id] = (await database.ReadStringsAsync($"SELECT id::text FROM notifications WHERE owner_id = '{user.Id}'"))
                    .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
            var doubledAudit = await database.ReadStringsAsync(
                "SELECT task_id || ' v' || task_version FROM audit_log GROUP BY task_id, task_version HAVING count(*) > 1");
            var unaudited = await database.ReadStringsAsync("""
                SELECT t.id::text FROM tasks t
                WHERE (SELECT count(DISTINCT a.task_version) FROM audit_log a WHERE a.task_id = t.id) <> t.version
                """);
            var series = await database.ReadStringsAsync("""
                SELECT s.id || ' tasks=' || (SELECT count(*) FROM tasks t WHERE t.series_id = s.id)
                            || ' completed=' || (SELECT count(*) FROM tasks t WHERE t.series_id = s.id AND t.status = 'completed')
                FROM task_series s
                WHERE (SELECT count(*) FROM tasks t WHERE t.series_id = s.id)
                   <> 1 + (SELECT count(*) FROM tasks t WHERE t.series_id = s.id AND t.status = 'completed')
                """);
            var seriesCount = await database.ScalarAsync<long>("SELECT count(*) FROM task_series");
            var occurrences = await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE series_id IS NOT NULL");
            var firedTwice = watcher.All.GroupBy(d => d.Reminder.ReminderId).Where(g => g.Select(d => d.Reminder.EventId).Distinct().Count() > 1)
                .Select(g => g.Key).ToList();
            var reminderNotifications = await database.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE kind = 'reminder.triggered'");
            var errors = await ErrorQueueDepthsAsync(broker);

            var outcomes = users.SelectMany(u => u.Outcomes).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            // API two is never killed: every request it was sent must have had an answer, a hung one fails here.
            var unansweredBySurvivor = users.SelectMany(u => u.OutcomesAt(1)).Where(o => o is "unanswered" or TimedOut)
                .GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            var timedOutAtKilled = users.SelectMany(u => u.OutcomesAt(0)).Count(o => o == TimedOut);
            var tasks = await TasksAsync(database);
            var versions = await database.ScalarAsync<long>("SELECT coalesce(sum(version), 0) FROM tasks");
            var audited = await database.ScalarAsync<long>("SELECT count(*) FROM audit_log");
            await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                killed API one and worker one at {killedAt.TotalSeconds:F1} s, both serving again at {backAt.TotalSeconds:F1} s; load for {loadFor.TotalSeconds:F1} s
                requests: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}
                of them unanswered by API two, which kept running: {Describe(unansweredBySurvivor)}; timed out at API one, the killed one: {timedOutAtKilled}
                committed: {tasks} tasks, {versions} versions; audited {audited}
                reminders: {reminders} planned, {watcher.All.Select(d => d.Reminder.EventId).Distinct().Count()} fired ({watcher.All.Count} deliveries), {reminderNotifications} in inboxes
                series: {seriesCount} with {occurrences} occurrences
                notifications: {inboxes.Values.Sum(i => i.Count)} stored
                """));
            foreach (var (user, client, api) in clients)
            {
                var doubledPushes = client.Pushed.Count - client.Pushed.Distinct().Count();
                await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"client on API {api}: {client.Pushed.Count} pushed ({doubledPushes} pushed again after a redelivery), {client.CaughtUp.Count} caught up, {client.Reconnects} reconnects, holds {client.Held.Count} of {inboxes[user.Id].Count}"));
            }

            Assert.Multiple(() =>
            {
                Assert.That(outcomes.Keys.Where(k => k.StartsWith('5')), Is.Empty, "a server error from a running API");
                Assert.That(unansweredBySurvivor, Is.Empty, "requests API two, never killed, left unanswered");
                Assert.That(timedOutAtKilled, Is.LessThanOrEqualTo(Users), "requests timed out at API one: only those in flight when it was killed");
                Assert.That(unaudited, Is.Empty, "tasks whose committed versions are not each audited");
                Assert.That(doubledAudit, Is.Empty, "versions audited twice");
                Assert.That(firedTwice, Is.Empty, "reminders fired twice");
                Assert.That(reminderNotifications, Is.EqualTo(reminders), "a reminder notification for every reminder");
                Assert.That(series, Is.Empty, "series whose completions did not each make one next occurrence");
                Assert.That(errors, Is.Empty, "messages that failed into an _error queue");
                foreach (var (user, client, api) in clients)
                {
                    Assert.That(client.Held, Is.EquivalentTo(inboxes[user.Id]), $"what the client on API {api} holds, against its owner's inbox");
                    Assert.That(client.State, Is.EqualTo(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected), $"the client on API {api} is live again");
                }
            });
        }
        finally
        {
            foreach (var (user, client, _) in clients)
            {
                await client.DisposeAsync();
                user.Dispose();
            }
        }
    }

    private const string TimedOut = "timed out";

    private static string Describe(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    private static Task<long> TasksAsync(TestDatabase database) => database.ScalarAsync<long>("SELECT count(*) FROM tasks");

    /// <summary>Every task event and every fired reminder of the users becomes one notification.</summary>
    private static async Task<long> ExpectedNotificationsAsync(TestDatabase database) =>
        await database.ScalarAsync<long>("SELECT count(*) FROM audit_log")
        + await database.ScalarAsync<long>("SELECT count(*) FROM reminder_state WHERE current_state = 'Fired'");

    private static async Task<List<string>> ErrorQueueDepthsAsync(TestVirtualHost broker)
    {
        var found = new List<string>();
        foreach (var queue in (await broker.QueueNamesAsync()).Where(q => q.EndsWith("_error", StringComparison.Ordinal)))
        {
            var waiting = await broker.WaitingAsync(queue);
            if (waiting > 0)
                found.Add($"{queue}: {waiting}");
        }
        return found;
    }

    /// <summary>A signed-in user with a client of each API, who creates, edits and completes tasks through both.</summary>
    private sealed class User : IDisposable
    {
        private readonly HttpClient[] apis;
        private readonly ConcurrentQueue<(int Api, string Outcome)> outcomes = new();

        private User(Guid id, string token, HttpClient[] apis)
        {
            Id = id;
            Token = token;
            this.apis = apis;
        }

        public Guid Id { get; }

        public string Token { get; }

        /// <summary>Each request's status code, or "unanswered" when the API it went to was down.</summary>
        public IReadOnlyCollection<string> Outcomes => outcomes.Select(o => o.Outcome).ToList();

        /// <summary>The outcomes of the requests sent to one API (0 or 1): a status code, "unanswered" or "timed out".</summary>
        public IEnumerable<string> OutcomesAt(int api) => outcomes.Where(o => o.Api == api).Select(o => o.Outcome);

        public static async Task<User> SignUpAsync(Uri one, Uri two)
        {
            using var signUp = new HttpClient { BaseAddress = two };
            var token = await signUp.NewAccountAsync();
            var apis = new[] { one, two }.Select(api =>
            {
                var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(20) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return client;
            }).ToArray();
            var me = await apis[1].GetJsonAsync("/api/v1/accounts/me");
            return new User(me.GetProperty("id").GetGuid(), token, apis);
        }

        /// <summary>
        /// Round the mix until told to stop: a task with a reminder due soon, a plain task, an edit and a completion of a
        /// plain one, a task repeating from completion and its completion, each through the next API in turn.
        /// </summary>
        public async Task DriveAsync(CancellationToken stop)
        {
            var plain = new List<(string Id, int Version)>();
            var repeating = new Queue<string>();
            for (var step = 0; !stop.IsCancellationRequested; step++)
            {
                var api = step % apis.Length;
                switch (step % 6)
                {
                    case 0:
                        await SendAsync(api, HttpMethod.Post, TaskApi.Tasks,
                            ReminderApi.WithReminderAt($"Reminder {step}", ReminderApi.SecondsAhead(12 + step % 8)));
                        break;
                    case 1:
                        if (await SendAsync(api, HttpMethod.Post, TaskApi.Tasks, new { title = $"Plain {step}", tags = new[] { "load" } }) is { } created)
                            plain.Add((created.Id(), created.Version()));
                        break;
                    case 2 when plain.Count > 0:
                        var (id, version) = plain[^1];
                        if (await SendAsync(api, HttpMethod.Put, $"{TaskApi.Tasks}/{id}", new { title = $"Edited {step}", priority = "high", version }) is { } edited)
                            plain[^1] = (id, edited.Version());
                        break;
                    case 3 when plain.Count > 1:
                        await SendAsync(api, HttpMethod.Post, $"{TaskApi.Tasks}/{plain[0].Id}/complete", null);
                        plain.RemoveAt(0);
                        break;
                    case 4:
                        if (await SendAsync(api, HttpMethod.Post, TaskApi.Tasks, new
                            {
                                title = $"Every 2 days {step}",
                                due = new { dateTime = "2431-05-06T08:00", timeZone = "Europe/Paris" },
                                recurrence = "every 2 days",
                                recurrenceMode = "completion",
                            }) is { } series)
                            repeating.Enqueue(series.Id());
                        break;
                    case 5 when repeating.Count > 0:
                        await SendAsync(api, HttpMethod.Post, $"{TaskApi.Tasks}/{repeating.Dequeue()}/complete", null);
                        break;
                }
                // A person's pace, not a benchmark's: the load is there to be crashed into.
                await Task.Delay(30, CancellationToken.None);
            }
        }

        private async Task<JsonElement?> SendAsync(int api, HttpMethod method, string path, object? body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            try
            {
                using var response = await apis[api].SendAsync(request);
                outcomes.Enqueue((api, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)));
                if (!response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NoContent)
                    return null;
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }
            catch (TaskCanceledException)
            {
                // No answer within the client's 20 s: a hung API, told apart from one that is gone.
                outcomes.Enqueue((api, TimedOut));
                return null;
            }
            catch (HttpRequestException)
            {
                // Refused or cut off by the crash: it may or may not have committed; the database says which.
                outcomes.Enqueue((api, "unanswered"));
                return null;
            }
        }

        public void Dispose()
        {
            foreach (var api in apis)
                api.Dispose();
        }
    }
}
