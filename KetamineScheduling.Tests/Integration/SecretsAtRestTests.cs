using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Integration;

/// <summary>Webhook secrets are stored encrypted: a copy of the database files holds none, and deliveries still verify.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SecretsAtRestTests(IntegrationFactory factory)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task No_webhook_secret_is_in_the_database_files_whether_registered_with_an_Idempotency_Key_or_without()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());

        var plain = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = "https://ehr.example.org/plain" }, HttpStatusCode.Created);
        using var keyed = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = "https://ehr.example.org/keyed" }, key);
        using var replayed = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = "https://ehr.example.org/keyed" }, key);

        string[] secrets = [(string)plain["secret"]!, await SecretAsync(keyed), await SecretAsync(replayed)];
        Assert.All(secrets, secret => Assert.StartsWith("whsec_", secret, StringComparison.Ordinal));
        Assert.Equal(["true"], replayed.Headers.GetValues("Idempotent-Replayed"));
        Assert.False(DatabaseDump.Holds(factory.DatabasePath, "whsec_"));
        Assert.All(secrets, secret => Assert.False(DatabaseDump.Holds(factory.DatabasePath, secret["whsec_".Length..])));
        Assert.False(DatabaseDump.BackupHolds(factory.DatabasePath, "whsec_"));
    }

    [Fact]
    public async Task A_retried_registration_gets_the_same_secret_again_and_deliveries_verify_with_it()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await using var receiver = await WebhookReceiver.StartAsync();
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        using var first = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url }, key);
        using var retry = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url }, key);

        // The EHR lost the first answer: the replay is all it has.
        receiver.Secret = await SecretAsync(retry);
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience, what: "a delivery that verifies with the replayed secret");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.DoesNotContain(receiver.Secret["whsec_".Length..], receiver.Received.Single().Payload.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs, line => line.Contains("whsec_", StringComparison.Ordinal) || line.Contains(receiver.Secret["whsec_".Length..], StringComparison.Ordinal));
        Assert.False(DatabaseDump.Holds(factory.DatabasePath, "whsec_"));
    }

    private static async Task<string> SecretAsync(HttpResponseMessage response) =>
        (string)(await ClinicDriver.ReadAsync(response, HttpStatusCode.Created))["secret"]!;
}

/// <summary>Secrets survive an upgrade from plain text, and every instance sharing the database can sign with them.</summary>
public sealed class SecretsAcrossInstancesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Webhooks:AllowPrivateNetworkTargets"] = "true",
        ["Webhooks:PollSeconds"] = "0.05",
    };

    private static readonly Dictionary<string, string> ProcessSettings = new()
    {
        ["Webhooks:AllowPrivateNetworkTargets"] = "true",
        ["Webhooks:PollSeconds"] = "0.1",
    };

    [Fact]
    public async Task Secrets_an_older_version_stored_in_plain_text_are_encrypted_at_start_up_and_still_sign_and_replay()
    {
        using var upgraded = new TempDatabase("secrets-upgrade");
        await using var receiver = await WebhookReceiver.StartAsync();
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        using var older = ApiFactory.With(settings: Settings);
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(older.NewClient());
        using var created = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url }, key);
        var answer = await created.Content.ReadAsStringAsync();
        var webhook = ClinicDriver.ReadJson(answer);
        var secret = (string)webhook["secret"]!;
        DatabaseDump.CopyTo(older.DatabasePath, upgraded.Path);
        // What the version before encryption kept: the secret itself, and the answer holding it for retries.
        DatabaseDump.Execute(upgraded.Path, "UPDATE webhooks SET secret = $secret WHERE id = $id", ("$secret", secret), ("$id", (string)webhook["id"]!));
        DatabaseDump.Execute(upgraded.Path, "UPDATE idempotency_records SET response_body = $body, response_protected = 0 WHERE idempotency_key = $key", ("$body", answer), ("$key", key.Item2));
        var plainBefore = DatabaseDump.Holds(upgraded.Path, "whsec_");

        using var api = ApiFactory.With(settings: Settings, databasePath: upgraded.Path);
        var upgradedClinic = clinic.On(api);

        Assert.True(plainBefore);
        Assert.False(DatabaseDump.Holds(upgraded.Path, "whsec_"));
        Assert.False(DatabaseDump.Holds(upgraded.Path, secret["whsec_".Length..]));
        using var replayed = await upgradedClinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url }, key);
        Assert.Equal(answer, await replayed.Content.ReadAsStringAsync());
        receiver.Secret = secret;
        await upgradedClinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);
        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience, what: "a delivery signed with the upgraded secret");
        Assert.Contains(api.Logs, line => line.Contains("Encrypted 1 webhook secrets and 1 kept idempotent responses", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Logs, line => line.Contains(secret["whsec_".Length..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_API_process_signs_deliveries_for_a_webhook_the_first_registered()
    {
        using var database = new TempDatabase("secrets-instances");
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var first = await ApiProcess.StartAsync(database.Path, ProcessSettings);
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(first.NewClient());
        var webhook = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url }, HttpStatusCode.Created);
        receiver.Secret = (string)webhook["secret"]!;
        await using var second = await ApiProcess.StartAsync(database.Path, ProcessSettings);
        // Only the second is left to deliver, with a key ring it read from the database.
        await first.KillAsync();

        await clinic.On(second).PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        await Eventually.HoldsAsync(() => receiver.Received.Count == 1, Patience, what: "a delivery signed by the second process");
        Assert.False(DatabaseDump.Holds(database.Path, "whsec_"));
    }

    [Fact]
    public async Task With_a_certificate_configured_the_key_ring_is_stored_encrypted_and_another_process_with_it_reads_the_ring()
    {
        using var database = new TempDatabase("secrets-certificate");
        var pfx = database.Path + ".pfx";
        using (var rsa = RSA.Create(2048))
        {
            using var certificate = new CertificateRequest("CN=KetamineScheduling key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "ring-password"));
        }

        var settings = new Dictionary<string, string>(ProcessSettings)
        {
            ["DataProtection:CertificatePath"] = pfx,
            ["DataProtection:CertificatePassword"] = "ring-password",
        };
        try
        {
            await using (var first = await ApiProcess.StartAsync(database.Path, settings))
            {
                var clinic = await new ClinicDriver(first.NewClient()).CreateClinicAsync();
                await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = "https://ehr.example.org/first" }, HttpStatusCode.Created);
            }

            await using var second = await ApiProcess.StartAsync(database.Path, settings);
            var again = await new ClinicDriver(second.NewClient()).CreateClinicAsync();
            await again.PostAsync($"{again.Base}/webhooks", new { url = "https://ehr.example.org/second" }, HttpStatusCode.Created);

            // One key: the second process could decrypt the first one's, so it made none of its own.
            var ring = Assert.Single(KeyRing(database.Path));
            Assert.Contains("EncryptedData", ring, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", ring, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private static List<string> KeyRing(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY id";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
