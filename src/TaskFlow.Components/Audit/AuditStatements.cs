namespace TaskFlow.Components.Audit;

/// <summary>
/// The audit feature's SQL, in one place: the batch insert and the month partitions (table audit_log and its
/// functions, from migrations/).
/// </summary>
internal static class AuditStatements
{
    /// <summary>A batch of events, each kept once: the key (event_id, occurred_at) makes a redelivery harmless.</summary>
    public const string Insert = """
        INSERT INTO audit_log (event_id, occurred_at, owner_id, task_id, task_version, event_type, payload)
        SELECT e.event_id, e.occurred_at, e.owner_id, e.task_id, e.task_version, @type, e.payload::jsonb
        FROM unnest(@event_ids, @occurred_ats, @owner_ids, @task_ids, @versions, @payloads)
            AS e (event_id, occurred_at, owner_id, task_id, task_version, payload)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The partitions of <c>@months</c>, then <see cref="Insert"/>, in one round trip and implicit transaction.</summary>
    public const string EnsurePartitionsThenInsert = "SELECT audit_log_ensure_partition(m) FROM unnest(@months) AS m;\n" + Insert;

    /// <summary>The partitions of this month and of the next <paramref name="monthsAhead"/>.</summary>
    public static FormattableString EnsureComingPartitions(int monthsAhead) => $"SELECT audit_log_ensure_partitions({monthsAhead})";
}
