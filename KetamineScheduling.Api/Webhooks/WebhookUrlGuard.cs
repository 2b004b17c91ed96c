using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace KetamineScheduling.Api.Webhooks;

/// <summary>
/// Keeps webhooks from reaching into the network the API runs in: targets must be https and public, unless
/// <c>Webhooks:AllowPrivateNetworkTargets</c> is true (tests, on-premises installs), which allows http and
/// loopback or private addresses.
/// </summary>
/// <remarks>
/// A URL is checked when the webhook is registered, and every connection is checked again when it is made, so a
/// name that later resolves to a private address (DNS rebinding) reaches nothing. Redirects are not followed.
/// </remarks>
internal sealed class WebhookUrlGuard(IOptions<WebhookOptions> options)
{
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private bool AllowPrivate => options.Value.AllowPrivateNetworkTargets;

    /// <summary>What is wrong with <paramref name="url"/> as a webhook target, or null when it may be used.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return "Must be an absolute https URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !AllowPrivate)
        {
            return "Must be https: deliveries carry signed clinical event data.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "Must not contain a user name or password.";
        }

        if (AllowPrivate)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' cannot be resolved.";
        }

        return addresses.Length > 0 && addresses.All(IsPublic)
            ? null
            : $"The host '{uri.Host}' resolves to a loopback, private, link-local or unique-local address; webhook targets must be public.";
    }

    /// <summary>
    /// Opens the connection for a delivery, to a public address of the host only (any address when private
    /// targets are allowed); used as the webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = (await Dns.GetHostAddressesAsync(host, cancellationToken)).Where(a => AllowPrivate || IsPublic(a)).ToArray();
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"The host '{host}' has no public address; webhook targets must be public.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="address"/> is on the public internet: not loopback, private, link-local, unique-local, shared, multicast or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            // The well-known NAT64 prefix carries an IPv4 address in its last four bytes.
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        return !NonPublic.Any(network => network.Contains(address));
    }
}
