using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace KetamineScheduling.Api.Http;

/// <summary>
/// Behind a reverse proxy that terminates TLS, the client's address and scheme come from the proxy's
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, and only from proxies the operator names. Off unless
/// <c>ForwardedHeaders:Enabled</c> is true: without a proxy those headers are whatever a client chose to send.
/// The client's address matters here because requests without a valid key share a rate limit per address.
/// </summary>
internal static class ProxyHeaders
{
    public const string Section = "ForwardedHeaders";

    public static WebApplicationBuilder AddProxyHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var settings = Settings(configuration);
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Named proxies replace the default (loopback only), so that a proxy on this machine is trusted only
            // when it is the one named.
            if (settings.KnownProxies.Length > 0 || settings.KnownNetworks.Length > 0)
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in settings.KnownProxies)
                {
                    options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address : throw Invalid("KnownProxies", proxy, "an IP address"));
                }

                foreach (var network in settings.KnownNetworks)
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed : throw Invalid("KnownNetworks", network, "an IP address with a prefix length (10.0.0.0/8)"));
                }
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it sees the client's address and scheme.</summary>
    public static WebApplication UseProxyHeaders(this WebApplication app)
    {
        if (Settings(app.Configuration).Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static ProxySettings Settings(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ProxySettings>() ?? new ProxySettings();

    private static InvalidOperationException Invalid(string setting, string text, string expected) =>
        new($"{Section}:{setting} holds '{text}', which is not {expected}.");

    /// <summary>The <c>ForwardedHeaders</c> settings.</summary>
    private sealed class ProxySettings
    {
        /// <summary>Whether to read <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> at all.</summary>
        public bool Enabled { get; set; }

        /// <summary>The proxies' addresses (<c>10.0.0.5</c>); with <see cref="KnownNetworks"/> empty too, loopback only.</summary>
        public string[] KnownProxies { get; set; } = [];

        /// <summary>Networks of proxies, with prefix length (<c>10.0.0.0/8</c>).</summary>
        public string[] KnownNetworks { get; set; } = [];
    }
}
