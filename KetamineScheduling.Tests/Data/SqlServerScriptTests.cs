using System.Reflection;
using System.Text.RegularExpressions;
using KetamineScheduling.Api.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// Parses the SQL Server text with the T-SQL parser, so a dialect slip fails here even without a SQL Server to run it.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    // Deliberately broken: proof that a syntax error is reported, and that Sqlite-named text is left alone.
    private const string BrokenSqlServer = "SELECT id FROM chairs WHERE";
    private const string BrokenSqlite = "SELECT id FROM chairs WHERE";

    [Fact]
    public void Every_SQL_Server_migration_parses()
    {
        var scripts = Migrations.ScriptNames(DatabaseProvider.SqlServer);

        var errors = scripts.SelectMany(name => ParseErrors(ReadResource(name)).Select(error => $"{name}: {error}")).ToList();

        Assert.NotEmpty(scripts);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Both_engines_have_the_same_migrations_under_the_same_numbers()
    {
        static IEnumerable<string> Names(DatabaseProvider provider) =>
            Migrations.ScriptNames(provider).Select(name => name[(name.IndexOf($".{provider}.", StringComparison.Ordinal) + provider.ToString().Length + 2)..]);

        Assert.Equal(Names(DatabaseProvider.Sqlite), Names(DatabaseProvider.SqlServer));
    }

    [Fact]
    public void Every_SQL_Server_query_in_the_API_parses()
    {
        var queries = SqlServerQueries(typeof(Database).Assembly.GetTypes());

        var errors = QueryErrors(queries);

        Assert.NotEmpty(queries);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Parser_reports_a_TSql_syntax_error()
    {
        var errors = QueryErrors(SqlServerQueries([typeof(SqlServerScriptTests)]));

        Assert.StartsWith($"{nameof(SqlServerScriptTests)}.{nameof(BrokenSqlServer)}: line 1", Assert.Single(errors));
    }

    [Fact]
    public void Text_named_for_Sqlite_is_not_parsed_as_TSql()
    {
        var queries = SqlServerQueries([typeof(SqlServerScriptTests)]);

        Assert.DoesNotContain(queries, field => field.Name == nameof(BrokenSqlite));
    }

    /// <summary>Every const string field that holds a statement and is not named for SQLite.</summary>
    internal static List<FieldInfo> SqlServerQueries(IEnumerable<Type> types) =>
        types
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => field.IsLiteral && field.GetRawConstantValue() is string text
                && StartsWithStatement().IsMatch(text)
                && !field.Name.EndsWith("Sqlite", StringComparison.Ordinal))
            .ToList();

    private static List<string> QueryErrors(IEnumerable<FieldInfo> queries) =>
        queries
            .SelectMany(field => ParseErrors(QueryText(field))
                .Select(error => $"{field.DeclaringType!.Name}.{field.Name}: {error}"))
            .ToList();

    /// <summary>
    /// A query's text as SQL Server receives it: in SQL Server's words (<see cref="SqlDialect.ForSqlServer"/>), and
    /// with each list parameter as Dapper expands it, <c>IN @Statuses</c> into <c>IN (@Statuses1, @Statuses2)</c>;
    /// one parameter in parentheses stands for them here.
    /// </summary>
    internal static string QueryText(FieldInfo query) =>
        DapperList().Replace(SqlDialect.ForSqlServer((string)query.GetRawConstantValue()!), "IN (@${name})");

    [GeneratedRegex(@"\bIN\s+@(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DapperList();

    // The parser reads GO as a batch separator, so scripts need no splitting.
    private static IEnumerable<string> ParseErrors(string sql)
    {
        using var reader = new StringReader(sql);
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        return errors.Select(error => $"line {error.Line}, column {error.Column}: {error.Message}");
    }

    internal static string ReadResource(string name)
    {
        using var stream = typeof(Database).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\s+|--[^\n]*\n|/\*.*?\*/)*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|IF|DECLARE|BEGIN)\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StartsWithStatement();
}
