using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace TaskFlow.Api.Tasks;

/// <summary>
/// Optimistic concurrency: every task has a version, returned as its ETag. A write names the version it
/// was based on (If-Match, or "version" in the body) and is refused with 412 when the task has moved on.
/// </summary>
public static class TaskVersion
{
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// What the client states about the version it changes: If-Match when sent (RFC 9110: "*" for whichever is
    /// current, or a list of strong ETags, any of which may match), else "version" from the body. False when If-Match
    /// is sent but is not that, an empty one included: it must not pass for a write that states nothing.
    /// </summary>
    public static bool TryReadExpected(HttpRequest request, int? bodyVersion, out ExpectedVersion expected)
    {
        var header = request.Headers.IfMatch;
        expected = bodyVersion is { } stated ? ExpectedVersion.Of([stated]) : ExpectedVersion.None;
        if (header.Count == 0)
            return true;
        if (header.ToString().Trim() == "*")
        {
            expected = ExpectedVersion.Any;
            return true;
        }
        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0)
            return false;
        var versions = new List<int>();
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any)
                || !int.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                return false;
            // If-Match compares strongly: a weak tag is read, but matches no version.
            if (!tag.IsWeak)
                versions.Add(version);
        }
        expected = ExpectedVersion.Of(versions);
        return true;
    }

    public static ValidationProblem UnreadableIfMatch() => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["If-Match"] = ["Must be the ETag you read, such as \"3\" (quotes included), a list of them, or *."] });

    public static ProblemHttpResult Required() => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        detail: "State the version you are changing, in If-Match (the task's ETag) or as \"version\" in the body.");

    public static ProblemHttpResult Stale(int current) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        detail: $"The task has changed since you read it; it is now at version {current}. Read it again and reapply your change.",
        extensions: new Dictionary<string, object?> { ["currentVersion"] = current });
}
