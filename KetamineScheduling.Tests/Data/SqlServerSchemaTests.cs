using System.Text.RegularExpressions;

namespace KetamineScheduling.Tests.Data;

/// <summary>Replaying migrations into one CREATE per object, as the SQL Server model check needs.</summary>
public sealed class SqlServerSchemaTests
{
    private const string CreateTable = """
        CREATE TABLE dbo.t (
            id    int           NOT NULL CONSTRAINT pk_t PRIMARY KEY,
            name  nvarchar(10)  NOT NULL,
            old   int           NULL
        );
        CREATE INDEX ix_t_name ON dbo.t (name);
        """;

    [Fact]
    public void Later_migrations_change_the_tables_and_indexes_in_the_order_they_run()
    {
        var schema = SqlServerSchema.Fold([
            ("0001", CreateTable),
            ("0002", """
                ALTER TABLE dbo.t ADD extra bit NOT NULL CONSTRAINT df_t_extra DEFAULT 0;
                ALTER TABLE dbo.t ALTER COLUMN name nvarchar(50) NULL;
                ALTER TABLE dbo.t DROP COLUMN old;
                DROP INDEX ix_t_name ON dbo.t;
                CREATE INDEX ix_t_extra ON dbo.t (extra);
                UPDATE dbo.t SET extra = 1;
                """),
            ("0003", "ALTER TABLE dbo.t DROP CONSTRAINT df_t_extra; ALTER TABLE dbo.t ADD CONSTRAINT df_t_extra_on DEFAULT 1 FOR extra;"),
        ]);

        Assert.Empty(schema.Problems);
        Assert.Equal(["table dbo.t", "index dbo.t.ix_t_extra"], schema.Objects.Select(item => item.Source));
        var table = Regex.Replace(schema.Objects[0].Script, @"\s+", " ");
        Assert.Equal("CREATE TABLE dbo.t ( id INT NOT NULL CONSTRAINT pk_t PRIMARY KEY, name NVARCHAR (50) NULL, extra BIT CONSTRAINT df_t_extra_on DEFAULT 1 NOT NULL )", table);
    }

    [Fact]
    public void A_statement_the_fold_does_not_know_is_reported_by_name()
    {
        var schema = SqlServerSchema.Fold([("0001", CreateTable), ("0002", "EXEC sp_rename 'dbo.t.name', 'title', 'COLUMN';")]);

        Assert.Equal("0002: line 1: teach SqlServerSchema to fold ExecuteStatement", Assert.Single(schema.Problems));
    }

    [Fact]
    public void Dropping_what_does_not_exist_is_reported_unless_it_says_IF_EXISTS()
    {
        var schema = SqlServerSchema.Fold([
            ("0001", CreateTable),
            ("0002", "DROP INDEX IF EXISTS ix_gone ON dbo.t; DROP INDEX ix_gone ON dbo.t; ALTER TABLE dbo.t DROP COLUMN gone;"),
        ]);

        Assert.Equal(["0002: line 1: index ix_gone does not exist on dbo.t", "0002: line 1: Column gone does not exist on dbo.t"], schema.Problems);
    }
}
