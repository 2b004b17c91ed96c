using Dapper;
using DotNet.Testcontainers.Builders;
using KetamineScheduling.Api.Data;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace KetamineScheduling.Tests.Data;

public sealed class SqlServerDatabaseContractTests(SqlServerFixture fixture)
    : DatabaseContractTests(fixture), IClassFixture<SqlServerFixture>;

/// <summary>A SQL Server container from Testcontainers, started once per run; each database is a new catalog in it.</summary>
public sealed class SqlServerFixture : DatabaseFixture
{
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";
    private MsSqlContainer? container;

    protected override async Task<string?> StartEngineAsync()
    {
        try
        {
            container = new MsSqlBuilder(Image).Build();
            await container.StartAsync();
            return null;
        }
        catch (DockerUnavailableException e)
        {
            return $"SQL Server tests need a Docker engine for Testcontainers; none is available on this machine: {e.Message}";
        }
    }

    protected override async Task<Database> CreateEmptyDatabaseAsync()
    {
        var name = $"ketamine_{Guid.NewGuid():N}";
        await using (var master = new SqlConnection(container!.GetConnectionString()))
        {
            await master.ExecuteAsync($"CREATE DATABASE [{name}]");
        }
        var connectionString = new SqlConnectionStringBuilder(container.GetConnectionString()) { InitialCatalog = name };
        return new Database(DatabaseProvider.SqlServer, connectionString.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
