using System.Data.Common;
using Dapper;

namespace KetamineScheduling.Api.Data;

/// <summary>What a write of one row did.</summary>
internal enum RowWritten
{
    /// <summary>The row was written.</summary>
    Written,

    /// <summary>No row matched: the parent it needs does not exist, or the version it expected has moved on.</summary>
    NoRow,

    /// <summary>A unique key refused it: another row already has the name or identifier.</summary>
    Duplicate,
}

/// <summary>Writes of one row that a unique key may refuse: an insert through a SELECT, an update by version.</summary>
internal static class RowWrites
{
    /// <summary>Runs <paramref name="sql"/>, which writes at most one row, and says what it did.</summary>
    public static async Task<RowWritten> WriteRowAsync(this DbConnection connection, string sql, object parameters, DbTransaction transaction)
    {
        try
        {
            return await connection.ExecuteAsync(sql, parameters, transaction) == 1 ? RowWritten.Written : RowWritten.NoRow;
        }
        catch (DbException e) when (Database.IsUniqueViolation(e, out _))
        {
            return RowWritten.Duplicate;
        }
    }
}
