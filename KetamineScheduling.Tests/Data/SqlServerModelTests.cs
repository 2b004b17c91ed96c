using System.Reflection;
using KetamineScheduling.Api.Data;
using Microsoft.SqlServer.Dac.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// Checks every SQL Server query of the API against the schema the SQL Server migrations build, with DacFx's
/// model of a database and no server: a table or column that does not exist fails here.
/// </summary>
public sealed class SqlServerModelTests(SqlServerModelFixture model) : IClassFixture<SqlServerModelFixture>
{
    // Deliberately wrong: proof that a misspelt column is reported, under the query's name.
    private const string MisspeltColumn = "SELECT id FROM sessions WHERE chair_idx = @ChairId";

    private const string FirstPage = "SELECT TOP (@Take) id FROM sessions WHERE clinic_id = @ClinicId ORDER BY id";

    [Fact]
    public void Every_SQL_Server_migration_folds_into_one_schema()
    {
        Assert.True(model.Schema.Problems.Count == 0, string.Join(Environment.NewLine, model.Schema.Problems));
        Assert.Contains(model.Schema.Objects, item => item.Source == "table dbo.sessions");
    }

    [Fact]
    public void The_migrated_schema_is_valid()
    {
        var errors = model.Errors.Where(error => !error.Source.StartsWith(SqlServerModelFixture.QueryPrefix, StringComparison.Ordinal)).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Every_SQL_Server_query_in_the_API_resolves_against_the_migrated_schema()
    {
        var errors = model.Errors.Where(error => model.ApiQueries.Contains(error.Source)).ToList();

        Assert.NotEmpty(model.ApiQueries);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Model_reports_a_misspelt_column_under_the_query_name()
    {
        var error = Assert.Single(model.Errors, error => error.Source == $"{SqlServerModelFixture.QueryPrefix}{nameof(SqlServerModelTests)}.{nameof(MisspeltColumn)}");

        Assert.Equal(71501, error.Number);
        Assert.Contains("[dbo].[sessions].[chair_idx]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_query_becomes_a_procedure_with_a_row_count_parameter_that_is_a_whole_number()
    {
        var procedure = SqlServerModelFixture.AsProcedure(typeof(SqlServerModelTests).GetField(nameof(FirstPage), BindingFlags.Static | BindingFlags.NonPublic)!);

        Assert.StartsWith("CREATE PROCEDURE dbo.[q_SqlServerModelTests_FirstPage] @Take bigint, @ClinicId sql_variant", procedure, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Errors, error => error.Source.EndsWith(nameof(FirstPage), StringComparison.Ordinal));
    }

    [Fact]
    public void The_model_has_the_columns_later_migrations_added_and_not_the_index_they_dropped()
    {
        var idempotency = model.Columns("dbo", "idempotency_records");

        Assert.Contains("response_etag", idempotency);
        Assert.Contains("claim_token", idempotency);
        Assert.DoesNotContain(model.Schema.Objects, item => item.Source == "index dbo.sessions.ix_sessions_chair");
    }
}

/// <summary>
/// One DacFx model for the class: the folded migrations, and every SQL Server query as the body of a procedure
/// named for it, validated once.
/// </summary>
public sealed class SqlServerModelFixture : IDisposable
{
    /// <summary>What a query's messages are filed under, before its Type.Field name.</summary>
    public const string QueryPrefix = "query ";

    // Every error fails, and so do these warnings of the reference family, which DacFx gives procedures because
    // SQL Server resolves their names late: SQL71502, a table or procedure that does not exist (SQL71501, a
    // misspelt or ambiguous column, is an error already); SQL71005, a column of a CTE or derived table that does
    // not exist; SQL71561, an unresolved reference in a view or computed column.
    private static readonly HashSet<int> Failures = [71005, 71501, 71502, 71561];

    private readonly TSqlModel tsqlModel;

    public SqlServerModelFixture()
    {
        Schema = SqlServerSchema.Fold(Migrations.ScriptNames(DatabaseProvider.SqlServer)
            .Select(name => (name, SqlServerScriptTests.ReadResource(name))));
        tsqlModel = new TSqlModel(SqlServerVersion.Sql160, new TSqlModelOptions());
        foreach (var (source, script) in Schema.Objects.Concat(NotFromMigrations))
        {
            tsqlModel.AddOrUpdateObjects(script, source, new TSqlObjectOptions());
        }

        var apiQueries = SqlServerScriptTests.SqlServerQueries(typeof(Database).Assembly.GetTypes());
        ApiQueries = apiQueries.Select(QuerySource).ToHashSet();
        // Validation names the procedure, not the source, so each procedure's name leads back to its query.
        var procedures = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var query in apiQueries.Concat(SqlServerScriptTests.SqlServerQueries([typeof(SqlServerModelTests)])))
        {
            procedures[$"[dbo].[{ProcedureName(query)}]"] = QuerySource(query);
            tsqlModel.AddOrUpdateObjects(AsProcedure(query), QuerySource(query), new TSqlObjectOptions());
        }

        string SourceOf(string message) =>
            procedures.FirstOrDefault(procedure => message.Contains(procedure.Key, StringComparison.OrdinalIgnoreCase)).Value ?? "schema";

        Errors = tsqlModel.GetModelErrors()
            .Select(error => new ModelError(error.SourceName ?? "", error.ErrorCode, $"line {error.Line}: {error.Message}"))
            .Concat(tsqlModel.Validate()
                .Where(message => message.MessageType == Microsoft.SqlServer.Dac.DacMessageType.Error || Failures.Contains(message.Number))
                .Select(message => new ModelError(SourceOf(message.Message), message.Number, message.Message)))
            .ToList();
    }

    public SqlServerSchema Schema { get; }

    /// <summary>The Type.Field names of the API's SQL Server queries, as their messages are filed.</summary>
    public IReadOnlySet<string> ApiQueries { get; }

    /// <summary>The model's errors, and its warnings of the reference family.</summary>
    public IReadOnlyList<ModelError> Errors { get; }

    public IReadOnlyList<string> Columns(string schema, string table) =>
        tsqlModel.GetObject(ModelSchema.Table, new ObjectIdentifier(schema, table), DacQueryScopes.UserDefined)
            ?.GetReferenced(Table.Columns).Select(column => column.Name.Parts[^1]).ToList() ?? [];

    public void Dispose() => tsqlModel.Dispose();

    /// <summary>What the queries use that no migration creates.</summary>
    private static readonly (string Source, string Script)[] NotFromMigrations =
    [
        // DbUp creates its journal itself (SqlTableJournal); Database reads it.
        ("table dbo.schema_versions", """
            CREATE TABLE dbo.schema_versions (
                Id int IDENTITY(1,1) NOT NULL CONSTRAINT PK_schema_versions_Id PRIMARY KEY,
                ScriptName nvarchar(255) NOT NULL,
                Applied datetime NOT NULL
            )
            """),
        // A system procedure, which lives in master, not in this model; declared with its documented parameters,
        // so that a misspelt parameter name is still caught.
        ("procedure sp_getapplock", """
            CREATE PROCEDURE dbo.sp_getapplock @Resource nvarchar(255), @LockMode varchar(32), @LockOwner varchar(32) = 'Transaction',
                @LockTimeout int = NULL, @DbPrincipal sysname = 'public'
            AS RETURN 0
            """),
    ];

    private static string QuerySource(FieldInfo query) => $"{QueryPrefix}{query.DeclaringType!.Name}.{query.Name}";

    private static string ProcedureName(FieldInfo query) => $"q_{query.DeclaringType!.Name}_{query.Name}";

    /// <summary>
    /// The query as the body of <c>dbo.q_Type_Field</c>, each parameter it uses declared as an argument. DacFx
    /// checks names, not the types of parameters, so a parameter is a sql_variant, which takes any value, and no
    /// type is invented; a row count (TOP, OFFSET, FETCH) must be a whole number on a server, so those are bigint.
    /// </summary>
    internal static string AsProcedure(FieldInfo query)
    {
        var text = SqlServerScriptTests.QueryText(query);
        using var reader = new StringReader(text);
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out _);
        var variables = new VariableVisitor();
        fragment.Accept(variables);
        var parameters = variables.Used
            .Except(variables.Declared, StringComparer.OrdinalIgnoreCase)
            .Select(name => $"{name} {(variables.Counts.Contains(name) ? "bigint" : "sql_variant")}");
        return $"""
            CREATE PROCEDURE dbo.[{ProcedureName(query)}] {string.Join(", ", parameters)}
            AS
            BEGIN
            -- The semicolon ends the statement before a query that starts with WITH.
            ;{text}
            END
            """;
    }

    private sealed class VariableVisitor : TSqlFragmentVisitor
    {
        public List<string> Used { get; } = [];

        public HashSet<string> Declared { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Counts { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(VariableReference node) => Used.Add(node.Name);

        public override void Visit(DeclareVariableElement node) => Declared.Add(node.VariableName.Value);

        public override void Visit(TopRowFilter node) => AddCounts(node.Expression);

        public override void Visit(OffsetClause node)
        {
            AddCounts(node.OffsetExpression);
            AddCounts(node.FetchExpression);
        }

        private void AddCounts(TSqlFragment? expression)
        {
            if (expression is not null)
            {
                var inner = new VariableVisitor();
                expression.Accept(inner);
                Counts.UnionWith(inner.Used);
            }
        }
    }
}

/// <summary>One message of the model, filed under the query or object it is about.</summary>
public sealed record ModelError(string Source, int Number, string Message)
{
    public override string ToString() => $"{Source}: SQL{Number}: {Message}";
}
