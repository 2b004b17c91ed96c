using System.Text;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Integration;

/// <summary>What someone holding a copy of the database's files could read, as a thief of a disk or a backup would.</summary>
internal static class DatabaseDump
{
    /// <summary>Whether <paramref name="text"/> is anywhere in the SQLite file or its write-ahead log, free pages included.</summary>
    public static bool Holds(string databasePath, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Any(file => Read(file).AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>Whether <paramref name="text"/> is in a <c>VACUUM INTO</c> copy of the database: its live content, as a backup takes it.</summary>
    public static bool BackupHolds(string databasePath, string text)
    {
        var copy = TempDatabase.NewPath("dump");
        try
        {
            CopyTo(databasePath, copy);
            return Holds(copy, text);
        }
        finally
        {
            TempDatabase.Delete(copy);
        }
    }

    /// <summary>Copies the live content of the database to a new file at <paramref name="copyPath"/>.</summary>
    public static void CopyTo(string databasePath, string copyPath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "VACUUM INTO $copy";
        vacuum.Parameters.AddWithValue("$copy", copyPath);
        vacuum.ExecuteNonQuery();
    }

    /// <summary>Runs one statement against the file directly, as an older version of the API would have written.</summary>
    public static void Execute(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, command.ExecuteNonQuery());
    }

    // SQLite holds the file open; sharing read and write lets a copy be read while the API runs.
    private static byte[] Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
