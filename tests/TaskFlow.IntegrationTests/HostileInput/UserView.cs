using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// Everything one user can read, through every GET operation of the document: the lists page by page (following
/// <c>nextCursor</c>), and each operation with ids in its path once for each of the user's tasks. A read endpoint added
/// later is in the view without a change here.
/// </summary>
public static partial class UserView
{
    /// <summary>Problem answers name the request's trace, which differs on every read.</summary>
    [GeneratedRegex(",?\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    public static async Task<string> ReadAsync(HttpClient user, IReadOnlyList<ApiOperation> operations, IReadOnlyList<Guid> taskIds)
    {
        var view = new StringBuilder();
        foreach (var operation in operations.Where(o => o.Method == "GET").OrderBy(o => o.Path, StringComparer.Ordinal))
        {
            var inPath = operation.Parameters.Where(p => p.In == "path").ToList();
            if (inPath.Count == 0)
            {
                await ReadPagesAsync(user, operation, view);
            }
            else if (inPath.All(p => p.Schema.TryGetProperty("format", out var f) && f.GetString() == "uuid"))
            {
                foreach (var id in taskIds)
                {
                    var url = inPath.Aggregate(operation.Path, (path, p) => path.Replace($"{{{p.Name}}}", id.ToString(), StringComparison.Ordinal));
                    await ReadPagesAsync(user, operation with { Path = url }, view);
                }
            }
        }
        return view.ToString();
    }

    /// <summary>Where two views first differ: the read, and both answers around the first character that differs.</summary>
    public static string FirstDifference(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
            line++;
        var was = line < a.Length ? a[line] : "(nothing)";
        var now = line < b.Length ? b[line] : "(nothing)";
        var at = 0;
        while (at < was.Length && at < now.Length && was[at] == now[at])
            at++;
        string Around(string text) => text[..Math.Min(text.Length, 120)] + (at > 120 ? " … " + text[Math.Max(120, at - 100)..Math.Min(text.Length, at + 100)] : "");
        return $"before: {Around(was)}\n after:  {Around(now)}";
    }

    private static async Task ReadPagesAsync(HttpClient user, ApiOperation operation, StringBuilder view)
    {
        var pages = operation.Parameters.Any(p => p.In == "query" && p.Name.Equals("cursor", StringComparison.OrdinalIgnoreCase));
        var limit = operation.Parameters.Any(p => p.In == "query" && p.Name.Equals("limit", StringComparison.OrdinalIgnoreCase)) ? "limit=100" : "";
        string? cursor = null;
        for (var page = 0; page < 50; page++)
        {
            var query = string.Join('&', new[] { limit, cursor is null ? "" : $"cursor={Uri.EscapeDataString(cursor)}" }.Where(q => q.Length > 0));
            var url = query.Length == 0 ? operation.Path : $"{operation.Path}?{query}";
            using var response = await user.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            view.Append("GET ").Append(url).Append(" → ").Append((int)response.StatusCode).Append(' ').Append(TraceId().Replace(body, "")).Append('\n');
            cursor = pages && response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json"
                && JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String
                    ? next.GetString()
                    : null;
            if (cursor is null)
                return;
        }
    }
}
