using KetamineScheduling.Api.Health;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Api.Data;

/// <summary>Start-up wiring for <see cref="Database"/>.</summary>
public static class DatabaseRegistration
{
    private const string DefaultSqlite = "Data Source=ketamine-scheduling.db";

    /// <summary>
    /// Registers <see cref="Database"/> as configured by <c>Database:Provider</c> (Sqlite or SqlServer, default
    /// Sqlite) and <c>ConnectionStrings:Scheduling</c> (default <c>Data Source=ketamine-scheduling.db</c> in the
    /// content root), migrates it before the server starts, and adds its readiness check.
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Read at resolve time, so configuration added after this call (test hosts, for one) still counts.
        builder.Services.AddSingleton(services => CreateDatabase(
            services.GetRequiredService<IConfiguration>(),
            services.GetRequiredService<IHostEnvironment>().ContentRootPath));
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    internal static Database CreateDatabase(IConfiguration configuration, string contentRoot)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Scheduling");
        return provider == DatabaseProvider.Sqlite
            ? new Database(provider, InContentRoot(connectionString ?? DefaultSqlite, contentRoot))
            : new Database(provider, connectionString
                ?? throw new InvalidOperationException("Database:Provider is SqlServer, so ConnectionStrings:Scheduling must be set."));
    }

    private static string InContentRoot(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        return builder.ConnectionString;
    }
}
