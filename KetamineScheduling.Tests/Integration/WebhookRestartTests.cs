using System.Net;
using System.Net.Sockets;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>Undelivered events live in the database, so neither a down receiver nor a killed API loses one.</summary>
public sealed class WebhookRestartTests
{
    /// <summary>Real-clock settings that keep retries, leases and polls short.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Webhooks:AllowPrivateNetworkTargets"] = "true",
        ["Webhooks:PollSeconds"] = "0.1",
        ["Webhooks:BackoffBaseSeconds"] = "0.1",
        ["Webhooks:MaxBackoffSeconds"] = "0.5",
        ["Webhooks:TimeoutSeconds"] = "2",
        ["Webhooks:LeaseSeconds"] = "3",
    };

    [Fact]
    public async Task A_receiver_that_was_down_while_the_API_restarted_gets_every_event_in_order()
    {
        using var database = new TempDatabase("webhook-restart");
        var path = database.Path;
        var port = FreeLoopbackPort();
        string secret;
        List<long> expected;
        await using (var before = await ApiProcess.StartAsync(path, Settings))
        {
            using var http = before.NewClient();
            var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(http);
            var cursor = (string)(await clinic.GetAsync($"{clinic.Base}/events"))["nextCursor"]!;
            var webhook = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = $"http://127.0.0.1:{port}/hook" }, HttpStatusCode.Created);
            secret = (string)webhook["secret"]!;

            var first = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-03T10:00"), HttpStatusCode.Created);
            await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair, "2027-05-04T10:00"), HttpStatusCode.Created);
            await clinic.PostAsync($"{clinic.Base}/sessions/{first["id"]}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
            expected = (await clinic.GetAsync($"{clinic.Base}/events?after={cursor}"))["items"]!.AsArray().Select(e => (long)e!["id"]!).ToList();

            // The receiver is down: wait until delivery has been tried and failed before the API is killed.
            var log = $"{clinic.Base}/webhooks/{webhook["id"]}/deliveries";
            await Eventually.HoldsAsync(
                async () => (await clinic.GetAsync(log))["items"]!.AsArray().Count(a => !(bool)a!["succeeded"]!) >= 2,
                TimeSpan.FromSeconds(20), what: "failed attempts");
        }

        await using var receiver = await WebhookReceiver.StartAsync(port: port);
        receiver.Secret = secret;
        await using var after = await ApiProcess.StartAsync(path, Settings);

        await Eventually.HoldsAsync(() => receiver.Received.Count >= expected.Count, TimeSpan.FromSeconds(30), what: "every event after the restart");
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, receiver.Received.Select(d => d.Id));
        Assert.Equal(["session.booked", "session.booked", "session.cancelled"], receiver.Received.Select(d => (string)d.Payload["type"]!));
    }

    /// <summary>A loopback port nothing listens on, for a receiver that comes up later.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
