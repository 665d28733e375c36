namespace TaskFlow.Api.Tasks;

public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTasks(this IEndpointRouteBuilder endpoints)
    {
        var tasks = endpoints.MapGroup("/api/v1/tasks").WithTags("Tasks").RequireAuthorization();

        tasks.MapGet("/", ListTasks.Handle).WithName(ListTasks.RouteName)
            .WithSummary("Search, filter and sort your tasks, a page at a time");
        tasks.MapGet("/{id:guid}", GetTask.Handle).WithName(GetTask.RouteName)
            .WithSummary("Read one task; its ETag is its version");
        tasks.MapPost("/", CreateTask.Handle).WithSummary("Create a task");
        tasks.MapPost("/quick", QuickAddTask.Handle)
            .WithSummary("Create a task from one line such as \"Pay rent every month on the 1st at 9am !high #home\"; dryRun=true previews it");
        tasks.MapPut("/{id:guid}", UpdateTask.Handle)
            .WithSummary("Replace a task's fields; If-Match (or \"version\") must name the version you read");
        tasks.MapPost("/{id:guid}/complete", ChangeTaskStatus.Complete).WithSummary("Mark a task done");
        tasks.MapPost("/{id:guid}/reopen", ChangeTaskStatus.Reopen).WithSummary("Open a completed task again");
        tasks.MapPost("/{id:guid}/reminders/{reminderId:guid}/snooze", TaskReminders.Snooze)
            .WithSummary("Fire a reminder again in 1 to 1440 minutes");
        tasks.MapGet("/{id:guid}/occurrences", TaskOccurrences.Preview)
            .WithSummary("Preview the next due dates of a repeating task (count 1 to 100, default 10), in its time zone");
        tasks.MapDelete("/{id:guid}", DeleteTask.Handle).WithSummary("Delete a task");
        return endpoints;
    }
}
