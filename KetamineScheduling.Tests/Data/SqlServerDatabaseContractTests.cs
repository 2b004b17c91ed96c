using Dapper;
using DotNet.Testcontainers.Builders;
using KetamineScheduling.Api.Data;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace KetamineScheduling.Tests.Data;

public sealed class SqlServerDatabaseContractTests(SqlServerFixture fixture)
    : DatabaseContractTests(fixture), IClassFixture<SqlServerFixture>;

/// <summary>A SQL Server container from Testcontainers, started once per run; each database is a new catalog in it.</summary>
/// <param name="diagnostics">
/// Where the reason for skipping goes: xunit.runner.json turns diagnostic messages on, and the test adapter prints
/// them as warnings, which plain <c>dotnet test</c> shows. A skipped test's own reason shows only at verbosity normal.
/// </param>
public sealed class SqlServerFixture(IMessageSink diagnostics) : DatabaseFixture
{
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";
    private static int reported;
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
            var reason = $"SQL Server tests need a Docker engine for Testcontainers; none is available on this machine: {e.Message}";
            if (Interlocked.Exchange(ref reported, 1) == 0)
            {
                // Once per run: every class that uses SQL Server is skipped for the same reason.
                diagnostics.OnMessage(new DiagnosticMessage($"Skipped: {reason}"));
            }

            return reason;
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

    protected override async Task StopEngineAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
