using System.ComponentModel;
using System.Globalization;
using MassTransit;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskFlow.Api.Tasks;

namespace TaskFlow.Api.Assistants;

/// <summary>
/// The task tools. Each calls the REST endpoint's own handler, so validation, the outbox event, the audit entry,
/// reminders and the live push are exactly REST's; only the transport differs. One instance per call, from the
/// request's services.
/// </summary>
[McpServerToolType]
public sealed class TaskTools(
    IHttpContextAccessor accessor, TaskFlowDbContext db, IPublishEndpoint publish, ISendEndpointProvider sendEndpoints,
    TimeProvider clock, ToolResults results)
{
    private const string IdText = "The task's id (a GUID), as list_tasks or create_task returned it.";
    private const string TitleText = "What is to be done, 1 to 200 characters.";
    private const string DescriptionText = "Notes, up to 4000 characters.";
    private const string PriorityText = "none (default), low, medium or high.";
    private const string TagsText = "Up to 10 labels of 1 to 32 characters, e.g. [\"home\", \"bills\"]; stored lower-case.";
    private const string RemindersText =
        "Up to 5 reminders, each how long before the due time to remind: \"15 minutes\", \"1 hour\", \"2 days\" or ISO 8601 (\"PT15M\", \"P1D\", \"P1W\"). Needs due.";
    private const string RecurrenceText =
        "Repeat rule; needs due. Shorthands: daily, weekdays, weekly, \"weekly on mon,wed\", \"every 2 weeks\", \"every 3 days\", monthly, " +
        "\"monthly on the 15th\", \"monthly on the last friday\", yearly; or an RFC 5545 RRULE such as \"FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12\".";
    private const string RecurrenceModeText =
        "For a repeating task: schedule (default; each occurrence appears recurrenceLead before its due) or completion (the next is due one interval after this one is completed).";
    private const string RecurrenceLeadText = "For a repeating task on schedule: how long before its due an occurrence appears, ISO 8601, default \"P1D\".";

    [McpServerTool(Name = "list_tasks", Title = "List and search tasks", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the user's tasks, a page at a time, with optional search and filters. Answers {items, nextCursor, next}: " +
        "to read further, call again with the same arguments and cursor = nextCursor, until nextCursor is null.")]
    public async Task<CallToolResult> ListTasks(
        [Description("Words to find in title and description; web-search syntax: \"quoted phrase\", -excluded, or.")] string? q = null,
        [Description("open or completed; both when left out.")] string? status = null,
        [Description("none, low, medium or high; several separated by commas, e.g. \"high,medium\".")] string? priority = null,
        [Description("Only tasks with this tag, e.g. \"home\".")] string? tag = null,
        [Description("Due before this (exclusive): a date \"2026-12-31\" (start of that day in the user's zone) or an instant with offset \"2026-12-31T09:00:00Z\".")] string? dueBefore = null,
        [Description("Due at or after this (inclusive): a date \"2026-12-01\" (start of that day in the user's zone) or an instant with offset.")] string? dueAfter = null,
        [Description("true: only open tasks past their due time; false: all others.")] bool? overdue = null,
        [Description("due (default), priority, created or title.")] string? sort = null,
        [Description("asc (default) or desc.")] string? order = null,
        [Description("Tasks per page, 1 to 100, default 20.")] int? limit = null,
        [Description("nextCursor from the previous page, unchanged; keep the other arguments the same.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var query = new Tasks.ListTasks.Query(q, status, priority, tag, dueBefore, dueAfter, Text(overdue), sort, order, Text(limit), cursor);
        // The page's "next" link is the REST listing's, for the same filters.
        var rest = Rest(QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = q, ["status"] = status, ["priority"] = priority, ["tag"] = tag, ["dueBefore"] = dueBefore, ["dueAfter"] = dueAfter,
            ["overdue"] = Text(overdue), ["sort"] = sort, ["order"] = order, ["limit"] = Text(limit),
        }.Where(p => p.Value is not null)));
        return results.From(await Tasks.ListTasks.Handle(query, rest.User, db, clock, rest, cancellationToken), "the listing");
    }

    [McpServerTool(Name = "get_task", Title = "Read a task", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Reads one task with everything it holds, its version (needed by update_task) and its reminders' schedule " +
        "(each reminder's id, needed by snooze_reminder, with its state and next fire time).")]
    public Task<CallToolResult> GetTask([Description(IdText)] string id, CancellationToken cancellationToken = default) =>
        OnTaskAsync(id, async (taskId, rest) => await Tasks.GetTask.Handle(taskId, rest.User, db, clock, rest.Response, cancellationToken));

    [McpServerTool(Name = "create_task", Title = "Create a task", OpenWorld = false)]
    [Description("Creates a task and answers it as stored (with its id and version). Only title is required. " +
        "Dates and times without a zone are read in the user's profile time zone. Example: {\"title\": \"Pay rent\", \"priority\": \"high\", " +
        "\"tags\": [\"home\"], \"due\": {\"dateTime\": \"2027-01-01T09:00\"}, \"reminders\": [\"1 day\"], \"recurrence\": \"monthly on the 1st\"}.")]
    public async Task<CallToolResult> CreateTask(
        [Description(TitleText)] string title,
        [Description(DescriptionText)] string? description = null,
        [Description(PriorityText)] string? priority = null,
        [Description(TagsText)] string?[]? tags = null,
        [Description("When it is due; leave out for a task without a date.")] DueArgument? due = null,
        [Description(RemindersText)] string?[]? reminders = null,
        [Description(RecurrenceText)] string? recurrence = null,
        [Description(RecurrenceModeText)] string? recurrenceMode = null,
        [Description(RecurrenceLeadText)] string? recurrenceLead = null,
        CancellationToken cancellationToken = default)
    {
        var request = new TaskRequest(title, description, priority, tags, due?.ToRequest(), reminders, recurrence, null, recurrenceMode, recurrenceLead);
        var rest = Rest();
        return results.From(await Tasks.CreateTask.Handle(request, rest.User, db, publish, clock, rest.Response, cancellationToken), "the new task");
    }

    [McpServerTool(Name = "update_task", Title = "Change a task", Idempotent = true, OpenWorld = false)]
    [Description("Replaces a task's fields with the ones given: a field left out is cleared (title excepted, which is required), " +
        "so read the task with get_task first and send back every field to keep, changed where wanted. version must be the version " +
        "get_task returned: if the task changed since, nothing is changed and the error tells the current version; read it again and reapply. " +
        "Status is changed with complete_task and reopen_task, not here.")]
    public Task<CallToolResult> UpdateTask(
        [Description(IdText)] string id,
        [Description(TitleText)] string title,
        [Description("Required: the task's version as get_task (or your last change to it) returned it.")] int? version = null,
        [Description(DescriptionText + " Left out: cleared.")] string? description = null,
        [Description(PriorityText + " Left out: none.")] string? priority = null,
        [Description(TagsText + " Left out: none.")] string?[]? tags = null,
        [Description("When it is due; left out: no due date.")] DueArgument? due = null,
        [Description(RemindersText + " Left out: none.")] string?[]? reminders = null,
        [Description(RecurrenceText + " Left out: the task stops repeating.")] string? recurrence = null,
        [Description(RecurrenceModeText)] string? recurrenceMode = null,
        [Description(RecurrenceLeadText)] string? recurrenceLead = null,
        CancellationToken cancellationToken = default)
    {
        var request = new TaskRequest(title, description, priority, tags, due?.ToRequest(), reminders, recurrence, version, recurrenceMode, recurrenceLead);
        return OnTaskAsync(id, async (taskId, rest) => await Tasks.UpdateTask.Handle(taskId, request, rest.User, db, clock, publish, rest, cancellationToken));
    }

    [McpServerTool(Name = "complete_task", Title = "Mark a task done", Idempotent = true, OpenWorld = false)]
    [Description("Marks a task done and answers it. Completing a done task changes nothing. A repeating task's next occurrence follows by itself.")]
    public Task<CallToolResult> CompleteTask([Description(IdText)] string id, CancellationToken cancellationToken = default) =>
        OnTaskAsync(id, async (taskId, rest) => await ChangeTaskStatus.Complete(taskId, rest.User, db, publish, clock, rest, cancellationToken));

    [McpServerTool(Name = "reopen_task", Title = "Open a done task again", Idempotent = true, OpenWorld = false)]
    [Description("Opens a completed task again and answers it. Reopening an open task changes nothing.")]
    public Task<CallToolResult> ReopenTask([Description(IdText)] string id, CancellationToken cancellationToken = default) =>
        OnTaskAsync(id, async (taskId, rest) => await ChangeTaskStatus.Reopen(taskId, rest.User, db, publish, clock, rest, cancellationToken));

    [McpServerTool(Name = "delete_task", Title = "Delete a task", Destructive = true, OpenWorld = false)]
    [Description("Deletes a task for good (its history stays). Confirm with the user first; there is no undo.")]
    public Task<CallToolResult> DeleteTask([Description(IdText)] string id, CancellationToken cancellationToken = default) =>
        OnTaskAsync(id, async (taskId, rest) => await Tasks.DeleteTask.Handle(taskId, rest.User, db, publish, clock, rest.Request, cancellationToken));

    [McpServerTool(Name = "snooze_reminder", Title = "Snooze a reminder", OpenWorld = false)]
    [Description("Makes a reminder fire again after the given minutes. Only a scheduled or fired reminder can be snoozed; " +
        "get_task lists a task's reminders (reminderSchedule) with their ids and states. Answers the reminder with its new fireAt.")]
    public async Task<CallToolResult> SnoozeReminder(
        [Description(IdText)] string taskId,
        [Description("The reminder's id, from get_task's reminderSchedule.")] string reminderId,
        [Description("How long to snooze, in minutes, 1 to 1440 (a day).")] int? minutes,
        CancellationToken cancellationToken = default)
    {
        if (!TryParseId(taskId, "taskId", out var task, out var invalid) || !TryParseId(reminderId, "reminderId", out var reminder, out invalid))
            return invalid;
        var rest = Rest();
        return results.From(
            await TaskReminders.Snooze(task, reminder, new SnoozeRequest(minutes), rest.User, db, sendEndpoints, clock, cancellationToken),
            $"task {taskId}'s reminder {reminderId}");
    }

    [McpServerTool(Name = "preview_occurrences", Title = "Next dates of a repeating task", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The dates a repeating task's next occurrences fall due on, in its time zone, with the rule in words. " +
        "A task that does not repeat answers an empty list.")]
    public Task<CallToolResult> PreviewOccurrences(
        [Description(IdText)] string id,
        [Description("How many dates, 1 to 100, default 10.")] int? count = null,
        CancellationToken cancellationToken = default)
        => OnTaskAsync(id, async (taskId, rest) => await TaskOccurrences.Preview(taskId, Text(count), rest.User, db, cancellationToken));

    /// <summary>Runs a handler on one task, named by the id argument, after checking it is an id.</summary>
    private async Task<CallToolResult> OnTaskAsync(string id, Func<Guid, DefaultHttpContext, Task<IResult>> handle)
    {
        if (!TryParseId(id, "id", out var taskId, out var invalid))
            return invalid;
        return results.From(await handle(taskId, Rest()), $"task {id}");
    }

    /// <summary>
    /// A context of its own for the handler: the caller's user and services, but REST's path, no If-Match of the MCP
    /// request's, and a response of its own, since the MCP response has started streaming when a tool runs and
    /// headers the handler sets (ETag, Link) belong to REST.
    /// </summary>
    private DefaultHttpContext Rest(QueryString query = default)
    {
        var current = accessor.HttpContext ?? throw new InvalidOperationException("A tool runs only within an MCP request.");
        var rest = new DefaultHttpContext { User = current.User, RequestServices = current.RequestServices };
        rest.Request.Path = "/api/v1/tasks";
        rest.Request.QueryString = query;
        return rest;
    }

    private static bool TryParseId(string? text, string field, out Guid id, out CallToolResult invalid)
    {
        invalid = null!;
        if (Guid.TryParse(text?.Trim(), out id))
            return true;
        invalid = ToolResults.Invalid(new Dictionary<string, string[]> { [field] = ["Must be an id as TaskFlow gave it, a GUID such as \"0f8fad5b-d9cb-469f-a165-70867728950e\"."] });
        return false;
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(bool? value) => value is { } flag ? (flag ? "true" : "false") : null;
}
