using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// Where SQLite and SQL Server really speak differently, told by the connection itself: a store needs nothing but
/// its connection to pick the text.
/// </summary>
/// <remarks>
/// Most statements are one const for both engines. A first page is the one common difference, and it needs no
/// second copy of the columns: the query ends its <c>ORDER BY</c> with <see cref="TakeRows"/>, and <see cref="Sql"/>
/// puts each engine's words for "the first <c>@Take</c> rows" there. Statements that differ more than that
/// (upserts, locking hints, <c>OUTPUT</c> against <c>RETURNING</c>) keep two consts, <c>XxxSqlite</c> and
/// <c>XxxSqlServer</c>, chosen with <see cref="Pick"/>. Text that goes through <see cref="Sql"/> more than once a
/// request is worth keeping in a static field per engine instead.
/// </remarks>
internal static class SqlDialect
{
    /// <summary>Ends an ordered query: the first <c>@Take</c> rows. <see cref="Sql"/> replaces it.</summary>
    public const string TakeRows = " /*take-rows*/";

    private const string TakeRowsSqlite = " LIMIT @Take";

    /// <summary>
    /// Ends a statement whose recursive <c>WITH</c> may run deeper than SQL Server's default of 100 levels (a claim
    /// of many short slots). SQLite has no such limit and no words for it.
    /// </summary>
    public const string DeepRecursion = " /*deep-recursion*/";

    private const string DeepRecursionSqlServer = " OPTION (MAXRECURSION 1000)";

    /// <summary>
    /// Follows the table a claim reads to choose a free place or seat: on SQL Server the read takes update and range
    /// locks, so two transactions choosing at once wait for each other instead of both choosing the same number.
    /// SQLite has one writer at a time and no words for it.
    /// </summary>
    public const string ClaimLock = " /*claim-lock*/";

    private static readonly string ClaimLockSqlServer = " WITH (UPDLOCK, HOLDLOCK)";

    // OFFSET ... FETCH rather than TOP, so that the limit follows ORDER BY as SQLite's LIMIT does.
    private const string TakeRowsSqlServer = " OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY";

    /// <summary>Whether the connection is to SQLite, the embedded engine.</summary>
    public static bool IsSqlite(this DbConnection connection) => connection is SqliteConnection;

    /// <summary>The text for the connection's engine.</summary>
    public static string Pick(this DbConnection connection, string sqlite, string sqlServer) =>
        connection.IsSqlite() ? sqlite : sqlServer;

    /// <summary><paramref name="text"/> in the connection's engine's words (see <see cref="TakeRows"/>).</summary>
    public static string Sql(this DbConnection connection, string text) =>
        connection.IsSqlite() ? ForSqlite(text) : ForSqlServer(text);

    /// <summary><paramref name="text"/> as SQLite receives it.</summary>
    public static string ForSqlite(string text) =>
        text.Replace(TakeRows, TakeRowsSqlite, StringComparison.Ordinal).Replace(DeepRecursion, "", StringComparison.Ordinal).Replace(ClaimLock, "", StringComparison.Ordinal);

    /// <summary><paramref name="text"/> as SQL Server receives it.</summary>
    public static string ForSqlServer(string text) =>
        text.Replace(TakeRows, TakeRowsSqlServer, StringComparison.Ordinal).Replace(DeepRecursion, DeepRecursionSqlServer, StringComparison.Ordinal)
            .Replace(ClaimLock, ClaimLockSqlServer, StringComparison.Ordinal);
}
