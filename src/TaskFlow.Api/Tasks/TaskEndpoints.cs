namespace TaskFlow.Api.Tasks;

public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTasks(this IEndpointRouteBuilder endpoints)
    {
        var tasks = endpoints.MapGroup("/api/v1/tasks").WithTags("Tasks").RequireAuthorization();

        tasks.MapGet("/", ListTasks.Handle).WithName(ListTasks.RouteName);
        tasks.MapGet("/{id:guid}", GetTask.Handle).WithName(GetTask.RouteName);
        tasks.MapPost("/", CreateTask.Handle);
        tasks.MapPut("/{id:guid}", UpdateTask.Handle);
        tasks.MapPost("/{id:guid}/complete", ChangeTaskStatus.Complete);
        tasks.MapPost("/{id:guid}/reopen", ChangeTaskStatus.Reopen);
        tasks.MapDelete("/{id:guid}", DeleteTask.Handle);
        return endpoints;
    }
}
