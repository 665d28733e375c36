namespace TaskFlow.Messaging.Outbox;

/// <summary>The PostgreSQL channel the outbox trigger notifies on commit (migrations/0004_messaging.sql).</summary>
public static class OutboxChannel
{
    public const string Name = "taskflow_outbox";
}
