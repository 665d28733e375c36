using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TaskFlow.Api.Infrastructure;

/// <summary>
/// Turns request-binding failures (malformed JSON, a number where a string belongs, no body, a body over the limit)
/// into a 4xx problem that names the field, instead of a bare status code.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
            return false;

        var status = badRequest.StatusCode;
        var problem = new ProblemDetails { Status = status, Detail = badRequest.Message };
        if (badRequest.InnerException is JsonException json)
        {
            var field = FieldFromJsonPath(json.Path);
            problem = new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [json switch
                {
                    UnstorableTextException => json.Message,
                    { Path: null or "$" } => "The body is not valid JSON.",
                    _ => "Has the wrong JSON type or is malformed.",
                }],
            })
            {
                Status = status,
                Detail = json is UnstorableTextException ? "The request body holds text that cannot be stored." : "The request body could not be read as JSON.",
            };
        }
        else if (status == StatusCodes.Status400BadRequest)
        {
            // The other binding failure this API can meet is a body that is missing or JSON null: route values are
            // constrained (an id that does not parse is a 404) and query values are read as text.
            problem = new ValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["Is required: send a JSON object."] })
            {
                Status = status,
                Detail = "The request has no body to read.",
            };
        }
        else if (status == StatusCodes.Status413PayloadTooLarge)
        {
            problem.Detail = $"The request body may be at most {HttpExtensions.MaxRequestBodyBytes / 1024} KB.";
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// "$.due.timeZone" → "due.timeZone"; "$.tags[2]" → "tags[2]"; the root, or a property without a name ("$."), → "body".
    /// </summary>
    internal static string FieldFromJsonPath(string? path)
    {
        var field = path is null ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
