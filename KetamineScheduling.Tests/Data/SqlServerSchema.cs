using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// The schema the SQL Server migrations leave behind, as one CREATE statement per object, for a DacFx model.
/// </summary>
/// <remarks>
/// A model holds objects, not changes: it takes no ALTER or DROP. So the migrations are replayed here, in the
/// order DbUp runs them, on their parsed CREATE TABLE and CREATE INDEX statements: an ALTER TABLE ADD adds
/// the column or constraint to its table, ALTER COLUMN replaces the column's type and nullability, DROP removes
/// the index, constraint, column or table. The result is then written back out as T-SQL. Nothing here knows a
/// table's name, so a new migration needs no change here unless it uses a statement no migration used before:
/// then <see cref="Fold"/> reports it by name ("teach SqlServerSchema to fold ..."), and its case goes beside
/// the others below. Statements that only move data (INSERT, UPDATE, DELETE, MERGE) change no schema and are
/// left out. A change a real server would refuse (a table created twice, a DROP of something missing without
/// IF EXISTS, an index on a table that does not exist) is reported too.
/// </remarks>
public sealed class SqlServerSchema
{
    private readonly Dictionary<string, CreateTableStatement> tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CreateIndexStatement> indexes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> problems = [];

    /// <summary>What the migrations do that cannot be folded, or that a server would refuse; empty when all is well.</summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>One batch per object, each named for the model's messages ("table dbo.sessions").</summary>
    public IReadOnlyList<(string Source, string Script)> Objects
    {
        get
        {
            var generator = new Sql160ScriptGenerator(new SqlScriptGeneratorOptions { SqlVersion = SqlVersion.Sql160 });
            string Script(TSqlFragment fragment)
            {
                generator.GenerateScript(fragment, out var script);
                return script;
            }

            return tables.Select(table => ($"table {table.Key}", Script(table.Value)))
                .Concat(indexes.Select(index => ($"index {index.Key}", Script(index.Value))))
                .ToList();
        }
    }

    /// <summary>Replays <paramref name="migrations"/> (name and text, in the order they run) on an empty schema.</summary>
    public static SqlServerSchema Fold(IEnumerable<(string Name, string Text)> migrations)
    {
        var schema = new SqlServerSchema();
        foreach (var (name, text) in migrations)
        {
            using var reader = new StringReader(text);
            var script = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
            if (errors.Count > 0)
            {
                schema.problems.AddRange(errors.Select(error => $"{name}: line {error.Line}: {error.Message}"));
                continue;
            }

            foreach (var statement in script.Batches.SelectMany(batch => batch.Statements))
            {
                if (schema.Apply(statement) is { } problem)
                {
                    schema.problems.Add($"{name}: line {statement.StartLine}: {problem}");
                }
            }
        }

        return schema;
    }

    /// <summary>Changes the schema as the statement would; returns why it cannot, or null.</summary>
    private string? Apply(TSqlStatement statement) => statement switch
    {
        CreateTableStatement create => tables.TryAdd(Name(create.SchemaObjectName), create) ? null : $"table {Name(create.SchemaObjectName)} already exists",
        CreateIndexStatement create => CreateIndex(create),
        AlterTableAddTableElementStatement add => WithTable(add.SchemaObjectName, table => Add(table, add.Definition)),
        AlterTableAlterColumnStatement alter => WithTable(alter.SchemaObjectName, table => AlterColumn(table, alter)),
        AlterTableDropTableElementStatement drop => WithTable(drop.SchemaObjectName, table => Drop(Name(drop.SchemaObjectName), table, drop)),
        DropIndexStatement drop => drop.DropIndexClauses.Select(clause => DropIndex(clause, drop.IsIfExists)).FirstOrDefault(problem => problem is not null),
        DropTableStatement drop => drop.Objects.Select(name => DropTable(name, drop.IsIfExists)).FirstOrDefault(problem => problem is not null),
        InsertStatement or UpdateStatement or DeleteStatement or MergeStatement or PrintStatement => null,

        // A migration's working table (SELECT ... INTO #name) lives only while the migration runs.
        SelectStatement { Into: null } or SelectStatement { Into.BaseIdentifier.Value: ['#', ..] } => null,
        _ => $"teach SqlServerSchema to fold {statement.GetType().Name}",
    };

    private string? CreateIndex(CreateIndexStatement create)
    {
        var table = Name(create.OnName);
        if (!tables.ContainsKey(table))
        {
            return $"index {create.Name.Value} is on {table}, which does not exist";
        }

        return indexes.TryAdd($"{table}.{create.Name.Value}", create) ? null : $"index {create.Name.Value} on {table} already exists";
    }

    private string? WithTable(SchemaObjectName name, Func<TableDefinition, string?> change) =>
        tables.TryGetValue(Name(name), out var table) ? change(table.Definition) : $"table {Name(name)} does not exist";

    private static string? Add(TableDefinition table, TableDefinition added)
    {
        foreach (var column in added.ColumnDefinitions)
        {
            if (FindColumn(table, column.ColumnIdentifier.Value) is not null)
            {
                return $"column {column.ColumnIdentifier.Value} already exists";
            }

            table.ColumnDefinitions.Add(column);
        }

        foreach (var constraint in added.TableConstraints)
        {
            // ADD CONSTRAINT df DEFAULT x FOR column belongs to the column in a CREATE TABLE.
            if (constraint is DefaultConstraintDefinition { Column: { } columnName } @default)
            {
                if (FindColumn(table, columnName.Value) is not { } column)
                {
                    return $"default {@default.ConstraintIdentifier?.Value} is for column {columnName.Value}, which does not exist";
                }

                @default.Column = null;
                column.DefaultConstraint = @default;
            }
            else
            {
                table.TableConstraints.Add(constraint);
            }
        }

        foreach (var index in added.Indexes)
        {
            table.Indexes.Add(index);
        }

        return null;
    }

    private static string? AlterColumn(TableDefinition table, AlterTableAlterColumnStatement alter)
    {
        if (FindColumn(table, alter.ColumnIdentifier.Value) is not { } column)
        {
            return $"column {alter.ColumnIdentifier.Value} does not exist";
        }

        if (alter.DataType is null)
        {
            return $"teach SqlServerSchema to fold ALTER COLUMN ... {alter.AlterTableAlterColumnOption}";
        }

        column.DataType = alter.DataType;
        column.Collation = alter.Collation;
        // ALTER COLUMN with a type and no NULL or NOT NULL leaves the column nullable, whatever it was.
        var nullability = column.Constraints.OfType<NullableConstraintDefinition>().ToList();
        nullability.ForEach(constraint => column.Constraints.Remove(constraint));
        column.Constraints.Add(new NullableConstraintDefinition { Nullable = alter.AlterTableAlterColumnOption != AlterTableAlterColumnOption.NotNull });
        return null;
    }

    private string? Drop(string tableName, TableDefinition table, AlterTableDropTableElementStatement drop)
    {
        foreach (var element in drop.AlterTableDropTableElements)
        {
            var name = element.Name.Value;
            var dropped = element.TableElementType switch
            {
                TableElementType.Column => table.ColumnDefinitions.RemoveAll(column => Same(column.ColumnIdentifier, name)),
                TableElementType.Index => table.Indexes.RemoveAll(index => Same(index.Name, name))
                    + (indexes.Remove($"{tableName}.{name}") ? 1 : 0),
                // DROP name, with no kind, drops a constraint.
                TableElementType.Constraint or TableElementType.NotSpecified => DropConstraint(table, name),
                _ => -1,
            };
            if (dropped < 0)
            {
                return $"teach SqlServerSchema to fold DROP {element.TableElementType}";
            }

            if (dropped == 0 && !element.IsIfExists)
            {
                return $"{element.TableElementType} {name} does not exist on {tableName}";
            }
        }

        return null;
    }

    private static int DropConstraint(TableDefinition table, string name)
    {
        var dropped = table.TableConstraints.RemoveAll(constraint => Same(constraint.ConstraintIdentifier, name));
        foreach (var column in table.ColumnDefinitions)
        {
            dropped += column.Constraints.RemoveAll(constraint => Same(constraint.ConstraintIdentifier, name));
            if (Same(column.DefaultConstraint?.ConstraintIdentifier, name))
            {
                column.DefaultConstraint = null;
                dropped++;
            }
        }

        return dropped;
    }

    private string? DropIndex(DropIndexClauseBase clause, bool ifExists)
    {
        if (clause is not DropIndexClause { Object: { } on, Index: { } index })
        {
            return "teach SqlServerSchema to fold DROP INDEX table.index (write DROP INDEX index ON table)";
        }

        var table = Name(on);
        var dropped = indexes.Remove($"{table}.{index.Value}")
            || (tables.TryGetValue(table, out var create) && create.Definition.Indexes.RemoveAll(inline => Same(inline.Name, index.Value)) > 0);
        return dropped || ifExists ? null : $"index {index.Value} does not exist on {table}";
    }

    private string? DropTable(SchemaObjectName name, bool ifExists)
    {
        if (name.BaseIdentifier.Value.StartsWith('#'))
        {
            // A migration's working table: gone with its session anyway.
            return null;
        }

        var table = Name(name);
        if (!tables.Remove(table))
        {
            return ifExists ? null : $"table {table} does not exist";
        }

        foreach (var index in indexes.Keys.Where(key => key.StartsWith(table + ".", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            indexes.Remove(index);
        }

        return null;
    }

    private static ColumnDefinition? FindColumn(TableDefinition table, string name) =>
        table.ColumnDefinitions.FirstOrDefault(column => Same(column.ColumnIdentifier, name));

    // SQL Server's default collation compares names without case.
    private static bool Same(Identifier? identifier, string name) =>
        identifier is not null && string.Equals(identifier.Value, name, StringComparison.OrdinalIgnoreCase);

    private static string Name(SchemaObjectName name) => $"{name.SchemaIdentifier?.Value ?? "dbo"}.{name.BaseIdentifier.Value}";
}

file static class ListExtensions
{
    public static int RemoveAll<T>(this IList<T> list, Func<T, bool> match)
    {
        var removed = list.Where(match).ToList();
        removed.ForEach(item => list.Remove(item));
        return removed.Count;
    }
}
