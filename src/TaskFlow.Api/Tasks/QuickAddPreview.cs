namespace TaskFlow.Api.Tasks;

/// <summary>What a quick add would create, answered by a dry run; nothing is stored.</summary>
/// <param name="Title">The words no reader took, as typed.</param>
/// <param name="Request">The task that would be created, as POST /api/v1/tasks takes it.</param>
/// <param name="Understood">Each phrase that was read, in the order typed.</param>
/// <param name="Due">The due date as the task listing would show it, or null.</param>
public sealed record QuickAddPreview(string Title, TaskRequest Request, IReadOnlyList<QuickAddUnderstood> Understood, DueResponse? Due);
