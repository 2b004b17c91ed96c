using System.Data.Common;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Patients;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// At start-up, after migrations: the platform admin key from <c>Auth:BootstrapAdminKey</c>, and in the
/// Development environment only, the demo clinic with a key for each role.
/// </summary>
internal sealed partial class SeedKeysOnStart(Database db, IConfiguration configuration, IHostEnvironment environment, IClock clock, ILogger<SeedKeysOnStart> logger)
    : IHostedService
{
    public const string BootstrapKeySetting = "Auth:BootstrapAdminKey";

    /// <summary>The name of the key <see cref="BootstrapKeySetting"/> holds; another key by this name is revoked when the setting changes.</summary>
    private const string BootstrapKeyName = "bootstrap";

    /// <summary>Configured secrets shorter than this are refused: they would be guessable, and the listed prefix would give most of them away.</summary>
    private const int MinBootstrapKeyLength = 24;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        if (configuration[BootstrapKeySetting] is { Length: > 0 } secret)
        {
            if (secret.Length < MinBootstrapKeyLength)
            {
                throw new InvalidOperationException($"{BootstrapKeySetting} must be at least {MinBootstrapKeyLength} characters; generate one with 'openssl rand -base64 32'.");
            }

            await db.WriteAsync(async (connection, transaction) =>
            {
                await ApiKeyStore.RevokePlatformKeysNamedAsync(connection, transaction, BootstrapKeyName, secret, now);
                await ApiKeyStore.EnsureAsync(connection, transaction, NewKey(BootstrapKeyName, Roles.PlatformAdmin, null, null, now), secret);
                return true;
            }, cancellationToken);
        }

        if (environment.IsDevelopment())
        {
            await db.WriteAsync(async (connection, transaction) => await SeedDemoAsync(connection, transaction, now), cancellationToken);
            LogDemoKeys(logger, DemoClinic.ClinicId, DemoClinic.PatientId, string.Join(", ", DemoClinic.Keys.Select(k => $"{k.Role} {k.Secret}")));
            return;
        }

        // A database first used in Development holds the demo keys, whose secrets are public: they go for good.
        var revoked = await db.WriteAsync((connection, transaction) => ApiKeyStore.RevokeSecretsAsync(connection, transaction, DemoClinic.Keys.Select(k => k.Secret), now), cancellationToken);
        if (revoked > 0)
        {
            LogDemoKeysRevoked(logger, revoked, environment.EnvironmentName, DemoClinic.ClinicId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the demo clinic, its chairs and patient the first time, and makes sure each demo key exists.</summary>
    private static async Task<bool> SeedDemoAsync(DbConnection connection, DbTransaction transaction, Instant now)
    {
        if (await ClinicStore.FindAsync(connection, DemoClinic.ClinicId, transaction) is null)
        {
            var clinic = DemoClinic.Clinic;
            await ClinicStore.InsertAsync(connection, transaction, clinic, now);
            var changes = new List<Change> { new(clinic.Id, "clinic.created", "clinic", clinic.Id, null, clinic.Version, now) };
            foreach (var chair in DemoClinic.Chairs)
            {
                await ChairStore.InsertAsync(connection, transaction, clinic.Id, chair, now);
                changes.Add(new Change(clinic.Id, "chair.created", "chair", chair.Id, null, 1, now));
            }

            await PatientStore.InsertAsync(connection, transaction, clinic.Id, DemoClinic.Patient, now);
            changes.Add(new Change(clinic.Id, "patient.created", "patient", DemoClinic.PatientId, DemoClinic.PatientId, 1, now));
            await ChangeFeed.AppendAsync(connection, transaction, changes);
        }

        foreach (var (role, secret) in DemoClinic.Keys)
        {
            var clinicId = role == Roles.PlatformAdmin ? (Guid?)null : DemoClinic.ClinicId;
            var patientId = role == Roles.PatientApp ? DemoClinic.PatientId : (Guid?)null;
            await ApiKeyStore.EnsureAsync(connection, transaction, NewKey($"demo {role}", role, clinicId, patientId, now), secret);
        }

        return true;
    }

    private static ApiKey NewKey(string name, string role, Guid? clinicId, Guid? patientId, Instant now) =>
        new() { Id = Guid.CreateVersion7(), Name = name, Role = role, ClinicId = clinicId, PatientId = patientId, CreatedAt = now };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked {Count} demo API keys: their secrets are published, and this is the {Environment} environment. The demo clinic {ClinicId} a Development start created in this database is still there; remove it or use a new database.")]
    private static partial void LogDemoKeysRevoked(ILogger logger, int count, string environment, Guid clinicId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development only: demo clinic {ClinicId}, demo patient {PatientId}. Demo API keys: {Keys}")]
    private static partial void LogDemoKeys(ILogger logger, Guid clinicId, Guid patientId, string keys);
}
