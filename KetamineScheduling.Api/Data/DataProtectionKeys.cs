using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// The ASP.NET Core Data Protection key ring, kept in the <c>data_protection_keys</c> table, so that every instance
/// of the API reads and writes the same keys and can decrypt what another encrypted (webhook secrets, kept replays).
/// </summary>
/// <remarks>
/// <para>
/// <b>The ring sits in the same database as what it protects.</b> Without a key encryptor each key's XML is stored
/// in plain text, so whoever can read the whole database (a copied file, a backup) can also decrypt the secrets:
/// the encryption keeps them out of dumps of single tables, query results and logs, not away from a full copy of
/// the database. Protecting the ring itself needs a key held somewhere else, a certificate or a KMS, which is a
/// deployment choice. <c>DataProtection:CertificatePath</c> (a PKCS#12 file with its private key, and
/// <c>DataProtection:CertificatePassword</c>) makes each new key's XML encrypted to that certificate; every
/// instance then needs the same certificate to read the ring. Data Protection logs a warning each time it stores
/// a key unencrypted, which is the reminder.
/// </para>
/// <para>
/// Data Protection asks for the ring synchronously and under its own lock: at start-up, when a key is about to
/// expire, and about once a day. It makes each new key two days before it is needed, so every instance has read
/// it by then. Only on a new, empty database may instances started at the same moment each make a first key;
/// Data Protection reads the ring again when it meets a key it does not know in its first two minutes, and a day
/// later in any case.
/// </para>
/// </remarks>
internal sealed class DatabaseXmlRepository(Database db) : IXmlRepository
{
    private const string SelectKeys = "SELECT xml FROM data_protection_keys ORDER BY id";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous; its calls are rare, so blocking a thread for them costs nothing that counts.
        using var connection = db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>(SelectKeys).Select(xml => XElement.Parse(xml)).ToList();
    }

    private const string InsertKey = "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)";

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute(InsertKey, new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}

/// <summary>Start-up wiring for Data Protection over the database's key ring.</summary>
internal static class DataProtectionKeys
{
    /// <summary>Names the key ring's users: instances with the same name share keys.</summary>
    public const string ApplicationName = "KetamineScheduling";

    /// <summary>
    /// Registers Data Protection with its key ring in the database (see <see cref="DatabaseXmlRepository"/>) under
    /// <see cref="ApplicationName"/>, its keys encrypted to <c>DataProtection:CertificatePath</c> when that is set.
    /// </summary>
    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<Database>((options, db) => options.XmlRepository = new DatabaseXmlRepository(db));
        if (builder.Configuration["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            // The certificate is also what decrypts: an instance without it cannot read the ring.
            dataProtection.ProtectKeysWithCertificate(
                X509CertificateLoader.LoadPkcs12FromFile(path, builder.Configuration["DataProtection:CertificatePassword"]));
        }

        return builder;
    }
}
