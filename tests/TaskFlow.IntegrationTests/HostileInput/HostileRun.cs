using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <param name="Status">The answer's status; 0 when none came (the call threw or ran past its timeout).</param>
/// <param name="Logged">What the API logged as errors while answering.</param>
public sealed record Outcome(ApiRequest Request, int Status, string? MediaType, string Body, IReadOnlyList<string> Logged)
{
    /// <summary>The first logged exception and where it was thrown, without its message (which quotes the input).</summary>
    public string Cause => Logged.Count == 0 ? "" : Logged[0][..Logged[0].IndexOf(" (", StringComparison.Ordinal)];

    public override string ToString() =>
        $"{Request.Operation} → {(Status == 0 ? "no answer" : Status.ToString(CultureInfo.InvariantCulture))}\n"
        + $"      request: {Request.Excerpt()}\n"
        + $"      answer:  {(Body.Length > 300 ? Body[..300] + "…" : Body)}"
        + (Logged.Count == 0 ? "" : $"\n      logged:  {string.Join("\n               ", Logged.Distinct())}");
}

/// <summary>
/// Sends generated requests one at a time, every operation in turn, until the time or the request budget is spent, and
/// keeps every outcome. Ids in the answers join the pool later requests forge from.
/// </summary>
public sealed class HostileRun(IReadOnlyList<ApiOperation> operations, RequestGenerator requests, KnownIds ids, LoggedErrors logged)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    public List<Outcome> Outcomes { get; } = [];

    public async Task RunAsync(HttpClient client, TimeSpan budget, int maxRequests, PCG random)
    {
        var clock = Stopwatch.StartNew();
        // Each operation every round, those with more to fill (parameters, a body) more often than the rest.
        var round = operations.SelectMany(o => Enumerable.Repeat(o, 1 + o.Parameters.Count + (o.Body is null ? 0 : 4))).ToList();
        while (clock.Elapsed < budget && Outcomes.Count < maxRequests)
        {
            // A fresh order each round, so no operation always follows the same other one.
            for (var i = round.Count - 1; i > 0; i--)
            {
                var j = (int)random.Next((uint)(i + 1));
                (round[i], round[j]) = (round[j], round[i]);
            }
            foreach (var operation in round)
                Outcomes.Add(await SendAsync(client, requests.Next(operation)));
        }
    }

    private async Task<Outcome> SendAsync(HttpClient client, ApiRequest request)
    {
        var loggedBefore = logged.Count;
        using var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method), request.Url);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        if (request.IfMatch is not null)
            message.Headers.TryAddWithoutValidation("If-Match", request.IfMatch);

        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var response = await client.SendAsync(message, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.IsSuccessStatusCode)
                requests.Accepted(request);
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
                ids.Gather(JsonDocument.Parse(body).RootElement);
            return new Outcome(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, logged.Since(loggedBefore));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return new Outcome(request, 0, null, $"{exception.GetType().Name}: {exception.Message}", logged.Since(loggedBefore));
        }
    }

    /// <summary>Each operation with how often it answered each status, for the test output.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        foreach (var byOperation in Outcomes.GroupBy(o => o.Request.Operation.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = byOperation.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {byOperation.Key}: {string.Join(", ", statuses)}");
        }
        return text.ToString();
    }
}
