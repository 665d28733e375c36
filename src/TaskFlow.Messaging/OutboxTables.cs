using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TaskFlow.Messaging;

/// <summary>
/// Quoted table and column names of the outbox entities as the DbContext maps them, for the few statements
/// LINQ cannot express (row locks, ON CONFLICT), so they hold under any naming convention.
/// </summary>
internal sealed class OutboxTables
{
    private OutboxTables(IModel model)
    {
        InboxState = new Table<InboxState>(model);
        OutboxState = new Table<OutboxState>(model);
        OutboxMessage = new Table<OutboxMessage>(model);
    }

    public Table<InboxState> InboxState { get; }
    public Table<OutboxState> OutboxState { get; }
    public Table<OutboxMessage> OutboxMessage { get; }

    public static OutboxTables For(DbContext context) => new(context.Model);

    internal sealed class Table<TEntity>
    {
        private readonly IEntityType entityType;
        private readonly StoreObjectIdentifier storeObject;

        public Table(IModel model, string mappingCall = "modelBuilder.AddTaskFlowOutboxEntities()")
        {
            entityType = model.FindEntityType(typeof(TEntity))
                ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped: call {mappingCall}.");
            var tableName = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
            storeObject = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
            Name = entityType.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(tableName)}" : Quote(tableName);
        }

        /// <summary>The schema-qualified, quoted table name.</summary>
        public string Name { get; }

        public string Column(Expression<Func<TEntity, object?>> property)
        {
            var member = property.Body is UnaryExpression { Operand: MemberExpression boxed } ? boxed : (MemberExpression)property.Body;
            var column = entityType.FindProperty(member.Member.Name)?.GetColumnName(storeObject)
                ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{member.Member.Name} is not mapped.");
            return Quote(column);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
