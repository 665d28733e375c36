using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace TaskFlow.Benchmarks;

/// <summary>
/// --connections N: the API process's resident memory at rest and with N notification connections open, and, while
/// they are open, how long a task change takes from the start of its HTTP request to the notification arriving at
/// each of its owner's clients.
/// </summary>
internal static class LiveConnections
{
    private const string TitlePrefix = "live ";
    // One at a time would take minutes; all at once would measure a connection storm rather than what they hold.
    private const int OpeningInParallel = 32;
    private const long SettleGrowth = 512 * 1024;
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Uri api, int connectionCount, int userCount, int rate, int seconds)
    {
        var pid = ApiProcess.Find(api);
        ApiProcess.RequireFileDescriptors(pid, connectionCount);
        ApiProcess.RequireFileDescriptors(Environment.ProcessId, connectionCount);

        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var users = new List<(Guid Id, string Token)>();
        while (users.Count < userCount)
            users.Add(await Accounts.NewAsync(http));
        // Connection i belongs to user i % users: every user holds the same number, give or take one.
        var perUser = Enumerable.Range(0, userCount).Select(u => connectionCount / userCount + (u < connectionCount % userCount ? 1 : 0)).ToArray();

        // A fresh API compiles its negotiate, WebSocket and hub code on its first connection: once, not per connection.
        await using (var once = Connect(api, users[0].Token))
            await once.StartAsync();
        var idle = await SettledMemoryAsync(pid);
        var arrivals = new ConcurrentQueue<(string Title, long At)>();
        var connections = new HubConnection[connectionCount];
        var dropped = 0;
        var opening = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, connectionCount), new ParallelOptions { MaxDegreeOfParallelism = OpeningInParallel }, async (i, cancellationToken) =>
            {
                var connection = Connect(api, users[i % userCount].Token);
                connection.On<JsonElement>("notification", n => arrivals.Enqueue((n.GetProperty("title").GetString()!, Stopwatch.GetTimestamp())));
                connection.Closed += _ =>
                {
                    Interlocked.Increment(ref dropped);
                    return Task.CompletedTask;
                };
                connections[i] = connection;
                await connection.StartAsync(cancellationToken);
            });
            var opened = opening.Elapsed.TotalSeconds;
            var loaded = await SettledMemoryAsync(pid);

            // Every connection hears its user's first change before any is timed: all are live, and the path is warm.
            for (var u = 0; u < userCount; u++)
                await CreateAsync(http, users[u].Token, $"warm-up {u}");
            if (await DeliveredAsync(arrivals, connectionCount) < connectionCount)
                throw new InvalidOperationException($"Only {arrivals.Count} of {connectionCount} connections heard their user's first change.");
            arrivals.Clear();

            // At fixed times, not each after the previous answer: a slow request must not hold back the next.
            var count = rate * seconds;
            var sentAt = new long[count];
            var sends = new List<Task<bool>>(count);
            async Task<bool> TimedCreateAsync(int i)
            {
                sentAt[i] = Stopwatch.GetTimestamp();
                return await CreateAsync(http, users[i % userCount].Token, $"{TitlePrefix}{i}");
            }
            var pace = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var wait = TimeSpan.FromSeconds((double)i / rate) - pace.Elapsed;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
                sends.Add(TimedCreateAsync(i));
            }
            var succeeded = await Task.WhenAll(sends);
            var expected = Enumerable.Range(0, count).Where(i => succeeded[i]).Sum(i => perUser[i % userCount]);
            var delivered = await DeliveredAsync(arrivals, expected);
            var droppedWhileOpen = Volatile.Read(ref dropped);

            var every = arrivals.Where(a => a.Title.StartsWith(TitlePrefix, StringComparison.Ordinal))
                .Select(a => (Event: int.Parse(a.Title.AsSpan(TitlePrefix.Length), CultureInfo.InvariantCulture), a.At))
                .Select(a => (a.Event, Ms: Stopwatch.GetElapsedTime(sentAt[a.Event], a.At).TotalMilliseconds))
                .ToList();
            var first = every.GroupBy(a => a.Event).Select(g => g.Min(a => a.Ms)).ToList();

            Console.WriteLine($"{connectionCount} notification connections (WebSockets, access_token) for {userCount} users, {perUser[0]} each, " +
                              $"opened in {opened:F1} s ({connectionCount / opened:F0}/s); API pid {pid}");
            Console.WriteLine("| API memory | resident (VmRSS) | GC heap after a full collection |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine(Row("at rest, before connecting", idle));
            Console.WriteLine(Row($"with {connectionCount} connections open", loaded));
            Console.WriteLine($"| per connection | {(loaded.Resident - idle.Resident) / 1024.0 / connectionCount:F1} KiB " +
                              $"| {(loaded.Heap - idle.Heap) / 1024.0 / connectionCount:F1} KiB |");
            Console.WriteLine($"| task created -> notification received, {count} creates at {rate}/s | received | p50 | p95 | p99 | max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| first of the owner's {perUser[0]} clients | {first.Count} of {succeeded.Count(s => s)} | {Percentiles(first)} |");
            Console.WriteLine($"| every client of the owner | {every.Count} of {expected} | {Percentiles(every.Select(a => a.Ms).ToList())} |");
            if (succeeded.Any(s => !s) || delivered < expected || droppedWhileOpen > 0)
                Console.WriteLine($"warning: {succeeded.Count(s => !s)} creates failed, {expected - delivered} notifications did not arrive within " +
                                  $"{DeliveryDeadline.TotalSeconds:F0} s, {droppedWhileOpen} connections closed while open");
        }
        finally
        {
            await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = OpeningInParallel },
                async (connection, _) => await connection.DisposeAsync());
        }
    }

    // As a browser connects: the token on negotiate in the Authorization header, on the WebSocket (which cannot carry
    // headers) in the access_token query parameter.
    internal static HubConnection Connect(Uri api, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(api, "hubs/notifications"), options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            options.WebSocketFactory = async (context, cancellationToken) =>
            {
                var uri = new UriBuilder(context.Uri);
                uri.Query = $"{uri.Query.TrimStart('?')}&access_token={Uri.EscapeDataString(token)}".TrimStart('&');
                var socket = new ClientWebSocket();
                try
                {
                    await socket.ConnectAsync(uri.Uri, cancellationToken);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        })
        .Build();

    private static async Task<bool> CreateAsync(HttpClient http, string token, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tasks") { Content = JsonContent.Create(new { title }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private static async Task<int> DeliveredAsync(ConcurrentQueue<(string Title, long At)> arrivals, int expected)
    {
        var deadline = Stopwatch.StartNew();
        while (arrivals.Count < expected && deadline.Elapsed < DeliveryDeadline)
            await Task.Delay(20);
        return arrivals.Count;
    }

    // Resident memory, even after a full collection, depends on how much free space the GC keeps committed, which
    // earlier work grew and it gives back only minutes later (the same 1,000 connections added 7-10 KiB each a few
    // minutes after a run's burst, 48-55 KiB with the API rested), so the heap the collection left is read as well.
    // Resident memory can keep growing a while (the GC commits and the pools fill lazily): it is read once it has not
    // grown for a few seconds, or at a deadline, and says which.
    private static async Task<Memory> SettledMemoryAsync(int pid)
    {
        var heap = await ApiProcess.CollectGarbageAsync(pid);
        var peak = ApiProcess.ResidentBytes(pid);
        var quiet = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < SettleDeadline)
        {
            await Task.Delay(250);
            var now = ApiProcess.ResidentBytes(pid);
            if (now > peak + SettleGrowth)
            {
                peak = now;
                quiet.Restart();
            }
            else if (quiet.Elapsed >= SettleQuiet)
                return new Memory(now, true, heap);
        }
        return new Memory(ApiProcess.ResidentBytes(pid), false, heap);
    }

    private sealed record Memory(long Resident, bool Settled, long Heap);

    private static string Row(string what, Memory memory) =>
        $"| {what} | {memory.Resident / 1024.0 / 1024.0:F1} MiB{(memory.Settled ? "" : $" (still growing after {SettleDeadline.TotalSeconds:F0} s)")} " +
        $"| {memory.Heap / 1024.0 / 1024.0:F1} MiB |";

    /// <summary>Of sorted samples, interpolated between the two nearest, as PostgreSQL's percentile_cont that the other scenarios use.</summary>
    internal static double Percentile(List<double> sorted, double fraction)
    {
        var rank = fraction * (sorted.Count - 1);
        var low = (int)rank;
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    private static string Percentiles(List<double> samples)
    {
        if (samples.Count == 0)
            return "- | - | - | -";
        samples.Sort();
        double At(double fraction) => Percentile(samples, fraction);
        return string.Create(CultureInfo.InvariantCulture, $"{At(0.5):F1} ms | {At(0.95):F1} ms | {At(0.99):F1} ms | {samples[^1]:F1} ms");
    }
}
