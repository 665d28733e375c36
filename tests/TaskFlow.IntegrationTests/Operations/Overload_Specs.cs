using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Tasks;

namespace TaskFlow.IntegrationTests.Operations;

/// <summary>
/// More writes at once than the API takes on, against the API as its own process on loopback: what is beyond its bound
/// is refused at once with 503, Retry-After and a problem body (not queued into a connection wait, a timeout or a 500),
/// a refused write leaves nothing behind, and health checks and the live channel are still answered meanwhile.
/// </summary>
[NonParallelizable]
public sealed class When_writes_arrive_beyond_the_apis_capacity
{
    private const int Writers = 48;
    private const int RefusalsWanted = 20;
    private const int TakenOnWanted = 10;
    private const int Doomed = 24;

    private readonly ConcurrentBag<Answer> answers = [];
    private readonly List<(string Probe, HttpStatusCode Status)> probes = [];
    private (string Id, HttpStatusCode Status)[] deletes = [];
    private HttpClient user = null!;
    private TestDatabase database = null!;
    private TestVirtualHost broker = null!;
    private HostProcess api = null!;
    private Guid ownerId;

    private sealed record Answer(string Title, HttpStatusCode? Status, string? RetryAfter, string? MediaType, JsonElement? Problem, TimeSpan Elapsed);

    [OneTimeSetUp]
    public async Task Flood()
    {
        database = await TaskFlowDatabase.CreateAsync("overload");
        broker = await TestVirtualHost.CreateAsync("overload");
        // Two writes at a time and two waiting: 48 writers are far beyond that, so most are refused.
        api = HostProcess.Api(database.ConnectionString, broker.ConnectionString)
            .With("Overload__Writes__PermitLimit", "2").With("Overload__Writes__QueueLimit", "2");
        await api.StartAsync();

        user = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = await user.NewAccountAsync();
        ownerId = (await user.GetJsonAsync("/api/v1/accounts/me")).GetProperty("id").GetGuid();
        // Warm: the flood meets the API as it runs, not its first request's compiling and connecting.
        await user.CreateTaskAsync(new { title = "Before the flood" });
        var doomed = new List<string>();
        for (var i = 0; i < Doomed; i++)
            doomed.Add((await user.CreateTaskAsync(new { title = $"Doomed {i}" })).Id());

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilStoppedAsync(user, w, stop.Token))).ToList();
        try
        {
            await Eventually.MatchesAsync(() => Task.FromResult(Summary()),
                _ => Count(HttpStatusCode.ServiceUnavailable) >= RefusalsWanted && Count(HttpStatusCode.Created) >= TakenOnWanted,
                TimeSpan.FromSeconds(20), $"{RefusalsWanted} writes refused with 503 and {TakenOnWanted} created");
            // While writes are being refused: what orchestrators and browsers depend on.
            using var probe = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            probes.Add(("GET /health/live", (await probe.GetAsync("/health/live")).StatusCode));
            probes.Add(("GET /health/ready", (await probe.GetAsync("/health/ready")).StatusCode));
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/notifications/negotiate?negotiateVersion=1");
            negotiate.Headers.Authorization = new("Bearer", token);
            probes.Add(("POST /hubs/notifications/negotiate", (await probe.SendAsync(negotiate)).StatusCode));
            // Deletes at once into the flood: a few are taken on, the rest refused.
            deletes = await Task.WhenAll(doomed.Select(async id =>
            {
                using var response = await user.DeleteAsync($"{TaskApi.Tasks}/{id}");
                return (id, response.StatusCode);
            }));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        await TestContext.Progress.WriteLineAsync($"Answers: {Summary()}");
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        user.Dispose();
        await api.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public void Should_answer_every_write_with_201_or_503()
    {
        Assert.That(answers.Where(a => a.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).Select(Describe),
            Is.Empty, Summary());
        Assert.That(Count(HttpStatusCode.Created), Is.GreaterThanOrEqualTo(TakenOnWanted), "writes within the bound are taken on");
    }

    [Test]
    public void Should_refuse_with_retry_after_and_a_problem_body()
    {
        var refused = Refused();
        Assert.Multiple(() =>
        {
            Assert.That(refused.Where(a => !int.TryParse(a.RetryAfter, out var seconds) || seconds < 1).Select(Describe), Is.Empty,
                "Retry-After in whole seconds");
            Assert.That(refused.Where(a => a.MediaType != "application/problem+json").Select(Describe), Is.Empty);
            Assert.That(refused.Where(a => a.Problem?.GetProperty("status").GetInt32() != 503).Select(Describe), Is.Empty);
        });
    }

    [Test]
    public void Should_refuse_at_once_rather_than_queue()
    {
        // A refusal does no work, so it comes back faster than a write that is taken on, however busy the machine, and
        // well within any client's timeout or the pool's 15 s, which a request queued for a connection would run into.
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Percentile(Refused(), 0.5), Is.LessThan(Percentile(created, 0.5)), Summary());
            Assert.That(Percentile(Refused(), 0.9), Is.LessThan(1000), Summary());
        });
    }

    [Test]
    public async Task Should_store_exactly_the_writes_it_took_on()
    {
        var stored = await database.ReadStringsAsync($"SELECT title FROM tasks WHERE owner_id = '{ownerId}' AND title LIKE 'Flood %'");
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Title);
        Assert.That(stored, Is.EquivalentTo(created), "a refused write stores nothing");
        Assert.That(stored, Has.None.AnyOf(Refused().Select(a => a.Title).ToArray()));
    }

    [Test]
    public async Task Should_delete_exactly_the_tasks_whose_delete_it_took_on()
    {
        Assert.That(deletes.Select(d => d.Status), Is.All.AnyOf(HttpStatusCode.NoContent, HttpStatusCode.ServiceUnavailable));
        Assert.That(deletes.Count(d => d.Status == HttpStatusCode.ServiceUnavailable), Is.GreaterThan(0), "deletes sent into the flood are refused");
        foreach (var (id, status) in deletes)
        {
            using var read = await user.GetAsync($"{TaskApi.Tasks}/{id}");
            Assert.That(read.StatusCode, Is.EqualTo(status == HttpStatusCode.NoContent ? HttpStatusCode.NotFound : HttpStatusCode.OK),
                $"task {id}, whose delete was answered {(int)status}");
        }
    }

    [Test]
    public void Should_still_answer_health_checks_and_the_live_channel()
    {
        Assert.That(probes, Has.Count.EqualTo(3));
        Assert.That(probes.Where(p => p.Status != HttpStatusCode.OK), Is.Empty);
    }

    private int Count(HttpStatusCode status) => answers.Count(a => a.Status == status);

    private List<Answer> Refused()
    {
        var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.That(refused, Has.Count.GreaterThanOrEqualTo(RefusalsWanted), Summary());
        return refused;
    }

    private async Task WriteUntilStoppedAsync(HttpClient user, int writer, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested && i < 500; i++)
        {
            var title = $"Flood {writer}-{i}";
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await user.PostAsJsonAsync(TaskApi.Tasks, new { title }, CancellationToken.None);
                var elapsed = clock.Elapsed;
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                answers.Add(new Answer(title, response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    mediaType, mediaType == "application/problem+json" ? JsonDocument.Parse(body).RootElement.Clone() : null, elapsed));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answers.Add(new Answer(title, null, null, e.GetType().Name, null, clock.Elapsed));
            }
        }
    }

    private static string Describe(Answer a) =>
        $"{a.Title}: {(a.Status is { } s ? (int)s : "no answer")} {a.MediaType} Retry-After {a.RetryAfter ?? "none"} in {a.Elapsed.TotalMilliseconds:F0} ms";

    private string Summary() => string.Join(", ", answers.GroupBy(a => a.Status?.ToString() ?? a.MediaType ?? "?")
        .Select(g => $"{g.Key}: {g.Count()} (median {Percentile(g, 0.5):F0} ms, 90th {Percentile(g, 0.9):F0} ms, slowest {g.Max(a => a.Elapsed).TotalMilliseconds:F0} ms)"));

    private static double Percentile(IEnumerable<Answer> answers, double fraction)
    {
        var sorted = answers.Select(a => a.Elapsed.TotalMilliseconds).Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, sorted.Count * fraction)];
    }
}
