using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace TaskFlow.Messaging.Storage;

/// <summary>The rollback after a failed step, which must not hide the failure that led to it.</summary>
internal static class TransactionRollback
{
    public static async Task QuietlyAsync(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is InvalidOperationException or DbException)
        {
            // The connection is gone; PostgreSQL has rolled back already.
        }
    }
}
