using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace TaskFlow.Api.Assistants;

/// <summary>
/// The MCP server AI assistants connect to: Streamable HTTP at /mcp, behind the same bearer token as the REST API.
/// Stateless: each POST is served on its own, so any API instance behind a balancer can answer any call and no
/// session is kept in memory; none of the tools needs the server-to-client requests only a session would allow.
/// </summary>
public static class AssistantExtensions
{
    public const string Path = "/mcp";

    private const string Instructions =
        "TaskFlow keeps the signed-in user's tasks: title, description, priority, tags, a due date in a time zone, " +
        "reminders before the due time and a repeat rule. Dates and times without a zone are read in the user's profile " +
        "time zone. Find tasks with list_tasks (search words, filters), read one with get_task, change one with " +
        "update_task (a full replacement: send every field to keep and the version get_task gave), complete_task, " +
        "reopen_task or delete_task. Every change is recorded in the task's history and shown live in the user's web page.";

    public static IHostApplicationBuilder AddTaskFlowAssistants(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "taskflow", Title = "TaskFlow", Version = "1.0" };
                options.ServerInstructions = Instructions;
            })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless)
            .WithMessageFilters(filters => filters.AddIncomingFilter(UnreadableText.Refuse))
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolArguments.Check))
            .WithTools<TaskTools>();
        builder.Services.AddSingleton<ToolResults>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTaskFlowAssistants(this IEndpointRouteBuilder endpoints)
    {
        // The MCP endpoints are plain request delegates, which the OpenAPI document does not list.
        endpoints.MapMcp(Path).RequireAuthorization();
        return endpoints;
    }
}
