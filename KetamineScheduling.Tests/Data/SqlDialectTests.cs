using System.Reflection;
using System.Text.RegularExpressions;
using KetamineScheduling.Api.Data;

namespace KetamineScheduling.Tests.Data;

public sealed class SqlDialectTests
{
    private const string FirstPage = "SELECT id FROM chairs WHERE clinic_id = @ClinicId ORDER BY id" + SqlDialect.TakeRows;

    [Fact]
    public void A_first_page_ends_in_LIMIT_on_SQLite_and_in_OFFSET_FETCH_on_SQL_Server()
    {
        Assert.Equal("SELECT id FROM chairs WHERE clinic_id = @ClinicId ORDER BY id LIMIT @Take", SqlDialect.ForSqlite(FirstPage));
        Assert.Equal("SELECT id FROM chairs WHERE clinic_id = @ClinicId ORDER BY id OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY", SqlDialect.ForSqlServer(FirstPage));
    }

    [Fact]
    public void Deep_recursion_is_allowed_in_SQL_Servers_words_and_left_out_for_SQLite()
    {
        const string claim = "WITH slots(slot) AS (SELECT 1 UNION ALL SELECT slot + 1 FROM slots WHERE slot < 500) SELECT slot FROM slots" + SqlDialect.DeepRecursion;

        Assert.EndsWith("FROM slots", SqlDialect.ForSqlite(claim), StringComparison.Ordinal);
        Assert.EndsWith("FROM slots OPTION (MAXRECURSION 1000)", SqlDialect.ForSqlServer(claim), StringComparison.Ordinal);
    }

    [Fact]
    public void No_pair_of_engine_queries_differs_only_in_its_row_limit()
    {
        var queries = typeof(Database).Assembly.GetTypes()
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => field.IsLiteral && field.GetRawConstantValue() is string)
            .ToDictionary(field => $"{field.DeclaringType!.FullName}.{field.Name}", field => Unlimited((string)field.GetRawConstantValue()!));

        var copies = queries.Keys
            .Where(name => name.EndsWith("Sqlite", StringComparison.Ordinal) && name != $"{typeof(SqlDialect).FullName}.TakeRowsSqlite"
                && queries.TryGetValue(name[..^"Sqlite".Length] + "SqlServer", out var sqlServer) && sqlServer == queries[name]);

        Assert.Empty(copies);
    }

    // The text without its row limit, in either engine's words, and without its layout.
    private static string Unlimited(string sql) =>
        Regex.Replace(Regex.Replace(sql, @"LIMIT @Take|TOP \(@Take\)", "", RegexOptions.IgnoreCase), @"\s+", " ").Trim();
}
