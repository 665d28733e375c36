using System.Buffers.Text;
using System.Text.Json;
using TaskFlow.Components.Tasks;

namespace TaskFlow.Api.Tasks;

/// <summary>
/// Where the next page starts: the sort key and id of the last task served. Opaque to clients,
/// and tied to the sort it was made for so it cannot be replayed against another one.
/// </summary>
public sealed record TaskCursor(
    TaskSort Sort,
    bool Descending,
    Guid Id,
    DateTime? Due = null,
    DateTimeOffset? Created = null,
    TaskPriority? Priority = null,
    string? Title = null)
{
    public static TaskCursor After(TaskItem last, TaskSort sort, bool descending) => sort switch
    {
        TaskSort.Due => new(sort, descending, last.Id, Due: last.DueSort),
        TaskSort.Priority => new(sort, descending, last.Id, Priority: last.Priority),
        TaskSort.Created => new(sort, descending, last.Id, Created: last.CreatedAt),
        _ => new(sort, descending, last.Id, Title: last.Title),
    };

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static TaskCursor? Decode(string text)
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<TaskCursor>(Base64Url.DecodeFromChars(text));
            return cursor is not null && cursor.HasKey() ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private bool HasKey() => Sort switch
    {
        TaskSort.Due => Due is not null,
        TaskSort.Priority => Priority is not null,
        TaskSort.Created => Created is not null,
        TaskSort.Title => Title is not null,
        _ => false,
    };
}
