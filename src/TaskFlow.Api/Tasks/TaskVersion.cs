using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace TaskFlow.Api.Tasks;

/// <summary>
/// Optimistic concurrency: every task has a version, returned as its ETag. A write names the version it
/// was based on (If-Match, or "version" in the body) and is refused with 412 when the task has moved on.
/// </summary>
public static class TaskVersion
{
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version the client expects: null when it stated none (or "*"); false when If-Match cannot be read.</summary>
    public static bool TryReadExpected(HttpRequest request, int? bodyVersion, out int? expected)
    {
        expected = bodyVersion;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
            return true;
        if (header == "*")
        {
            expected = null;
            return true;
        }
        if (!EntityTagHeaderValue.TryParse(header, out var tag))
            return int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) && (expected = plain) >= 0;
        var value = tag.Tag.Value?.Trim('"');
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return false;
        expected = version;
        return true;
    }

    public static ValidationProblem UnreadableIfMatch() => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["If-Match"] = ["Must be the task's ETag, such as \"3\"."] });

    public static ProblemHttpResult Required() => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        detail: "State the version you are changing, in If-Match (the task's ETag) or as \"version\" in the body.");

    public static ProblemHttpResult Stale(int current) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        detail: $"The task has changed since you read it; it is now at version {current}. Read it again and reapply your change.",
        extensions: new Dictionary<string, object?> { ["currentVersion"] = current });
}
