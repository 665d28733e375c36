namespace TaskFlow.Components.Tasks;

public enum TaskItemStatus
{
    Open,
    Completed,
}
