using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TaskFlow.Messaging.Storage;

/// <summary>
/// The quoted table and column names of <typeparamref name="TEntity"/> as the DbContext maps it, for the few statements
/// LINQ cannot express (row locks, ON CONFLICT, unnest), so they hold under any naming convention and schema.
/// </summary>
internal sealed class ModelTable<TEntity>
{
    private readonly StoreObjectIdentifier storeObject;

    /// <param name="model">The DbContext's model.</param>
    /// <param name="notMappedHint">What the application must do when <typeparamref name="TEntity"/> is missing from the model.</param>
    public ModelTable(IModel model, string notMappedHint)
    {
        EntityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped: {notMappedHint}.");
        var entityType = EntityType;
        var tableName = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
        storeObject = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
        Name = entityType.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(tableName)}" : Quote(tableName);
    }

    public IEntityType EntityType { get; }

    /// <summary>The schema-qualified, quoted table name.</summary>
    public string Name { get; }

    public string Column(Expression<Func<TEntity, object?>> property)
    {
        var member = property.Body is UnaryExpression { Operand: MemberExpression boxed } ? boxed : (MemberExpression)property.Body;
        var column = EntityType.FindProperty(member.Member.Name)?.GetColumnName(storeObject)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{member.Member.Name} is not mapped.");
        return Quote(column);
    }

    public string Column(IProperty property) =>
        Quote(property.GetColumnName(storeObject) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property.Name} is not mapped."));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
