using KetamineScheduling.Api.Data;
using NodaTime;

namespace KetamineScheduling.Api.Access;

/// <summary>
/// At start-up, after migrations: the platform admin key from <c>Auth:BootstrapAdminKey</c>.
/// </summary>
internal sealed class SeedKeysOnStart(Database db, IConfiguration configuration, IClock clock)
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static ApiKey NewKey(string name, string role, Guid? clinicId, Guid? patientId, Instant now) =>
        new() { Id = Guid.CreateVersion7(), Name = name, Role = role, ClinicId = clinicId, PatientId = patientId, CreatedAt = now };
}
