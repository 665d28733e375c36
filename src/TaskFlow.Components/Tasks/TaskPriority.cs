namespace TaskFlow.Components.Tasks;

public enum TaskPriority : short
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}
