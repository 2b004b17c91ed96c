namespace KetamineScheduling.Api.Data;

/// <summary>
/// The database engine behind <see cref="Database"/>, chosen by the <c>Database:Provider</c> setting.
/// </summary>
public enum DatabaseProvider
{
    /// <summary>A SQLite file (never in-memory: every connection must see the same data). The default.</summary>
    Sqlite,

    /// <summary>Microsoft SQL Server or Azure SQL.</summary>
    SqlServer,
}
