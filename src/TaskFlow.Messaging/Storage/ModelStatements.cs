using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TaskFlow.Messaging.Storage;

/// <summary>SQL built from a DbContext's model (<see cref="ModelTable{TEntity}"/> names), cached by <see cref="ModelStatements"/>.</summary>
internal interface IModelStatements<TSelf>
    where TSelf : class, IModelStatements<TSelf>
{
    static abstract TSelf Build(IModel model);
}

/// <summary>
/// The one cache of model-derived SQL: each statements type is built once per model. A DbContext type builds its model
/// once and shares it among its instances, so a statement is built once per context type, not per call; a model that is
/// gone takes its statements with it.
/// </summary>
internal static class ModelStatements
{
    public static TStatements For<TStatements>(DbContext db)
        where TStatements : class, IModelStatements<TStatements> =>
        Cache<TStatements>.ByModel.GetValue(db.Model, static model => TStatements.Build(model));

    private static class Cache<TStatements>
        where TStatements : class
    {
        public static readonly ConditionalWeakTable<IModel, TStatements> ByModel = new();
    }
}
