namespace TaskFlow.Api.Tasks;

/// <summary>What a task listing is ordered by; each has its keyset index on (owner_id, key, id).</summary>
public enum TaskSort
{
    Due,
    Priority,
    Created,
    Title,
}
