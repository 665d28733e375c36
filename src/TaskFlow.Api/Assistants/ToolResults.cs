using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace TaskFlow.Api.Assistants;

/// <summary>
/// An endpoint handler's typed result as a tool result: what REST answers 2xx becomes the same JSON (structured, and as
/// text for clients that read only text); what it refuses becomes a tool error an assistant can read and act on.
/// </summary>
public sealed class ToolResults(IOptions<JsonOptions> json)
{
    public CallToolResult From(IResult result, string what) => result switch
    {
        INestedHttpResult nested => From(nested.Result, what),
        // Refusals first: they carry a value too, their problem details.
        ValidationProblem invalid => Invalid(invalid.ProblemDetails.Errors),
        ProblemHttpResult problem => Error(Describe(problem)),
        NotFound => Error($"Not found: {what} is not one of your tasks (no such id, already deleted, or someone else's)."),
        NoContent => new CallToolResult { Content = [new TextContentBlock { Text = $"Deleted {what}." }] },
        IValueHttpResult { Value: { } value } => Success(JsonSerializer.SerializeToElement(value, value.GetType(), json.Value.SerializerOptions)),
        _ => throw new InvalidOperationException($"No tool result for {result.GetType().Name}."),
    };

    /// <summary>Every field the input got wrong, by the same name REST's 400 uses ("title", "due.timeZone", "tags[1]").</summary>
    public static CallToolResult Invalid(IDictionary<string, string[]> errors)
    {
        var text = new StringBuilder("Invalid input; nothing was changed. Fix these arguments and call again:");
        foreach (var (field, messages) in errors)
            text.Append('\n').Append("- ").Append(field).Append(": ").AppendJoin(' ', messages);
        return Error(text.ToString());
    }

    private static CallToolResult Success(JsonElement body) => new()
    {
        Content = [new TextContentBlock { Text = body.GetRawText() }],
        // Structured content must be an object; a bare list would travel as text alone.
        StructuredContent = body.ValueKind == JsonValueKind.Object ? body : null,
    };

    private static CallToolResult Error(string text) => new() { IsError = true, Content = [new TextContentBlock { Text = text }] };

    private static string Describe(ProblemHttpResult problem)
    {
        var details = problem.ProblemDetails;
        return details.Status switch
        {
            StatusCodes.Status409Conflict => $"Conflict: {details.Title} {details.Detail}",
            StatusCodes.Status412PreconditionFailed => $"Version mismatch: {details.Detail}",
            // REST's text speaks of If-Match and the body; here the version is an argument.
            StatusCodes.Status428PreconditionRequired =>
                "Version required: pass version, the task's version as get_task or your last change returned it, so that a change made meanwhile is not overwritten.",
            _ => $"{details.Title ?? "Refused"}: {details.Detail}",
        };
    }
}
