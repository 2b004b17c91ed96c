using System.Net;
using Dapper;
using KetamineScheduling.Tests.Api;
using Microsoft.Data.Sqlite;

namespace KetamineScheduling.Tests.Integration;

/// <summary>The change feed lists every committed change once, in commit order, and a poller never misses one.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ChangeFeedTests(IntegrationFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_booking_appears_in_the_feed_with_its_type_resource_and_version()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        var feed = await clinic.GetAsync($"{clinic.Base}/events");

        var booked = feed["items"]!.AsArray().Single(e => (string)e!["type"]! == "session.booked")!;
        Assert.Equal("session", (string)booked["resourceType"]!);
        Assert.Equal((string)session["id"]!, (string)booked["resourceId"]!);
        Assert.Equal(1, (int)booked["version"]!);
        Assert.Equal(NodaTime.Text.InstantPattern.General.Format(factory.Clock.GetCurrentInstant()), (string)booked["occurredAt"]!);
        Assert.True((long)booked["id"]! > 0);
    }

    [Fact]
    public async Task Polling_with_nextCursor_returns_only_what_is_new_and_an_empty_page_keeps_the_place()
    {
        var (clinic, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var first = await clinic.GetAsync($"{clinic.Base}/events");
        var cursor = (string)first["nextCursor"]!;

        var empty = await clinic.GetAsync($"{clinic.Base}/events?after={cursor}");
        await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);
        var next = await clinic.GetAsync($"{clinic.Base}/events?after={(string)empty["nextCursor"]!}");

        Assert.Equal(["clinic.created", "chair.created", "patient.created"], first["items"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(cursor, (string)empty["nextCursor"]!);
        Assert.Equal(["session.booked"], next["items"]!.AsArray().Select(e => (string)e!["type"]!));
    }

    [Fact]
    public async Task A_clinic_feed_holds_only_that_clinics_events()
    {
        var (clinic, _, _) = await Requests.ClinicWithChairAndPatientAsync(client);
        var (other, chair, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        await other.PostAsync($"{other.Base}/sessions", Requests.Booking(patient, chair), HttpStatusCode.Created);

        var feed = await clinic.GetAsync($"{clinic.Base}/events");

        Assert.Equal(3, feed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_cursor_the_API_did_not_make_is_a_400_naming_after()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();

        using var response = await clinic.Client.GetAsync($"{clinic.Base}/events?after=not-a-cursor");

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["after"]);
    }

    [Fact]
    public async Task A_reader_polling_during_concurrent_bookings_sees_every_event_once_in_commit_order()
    {
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chairs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => clinic.AddChairAsync($"Chair {i}")));
        var patients = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => clinic.AddPatientAsync()));
        var seen = new List<long>();
        var cursor = "";
        async Task<int> PollAsync()
        {
            var page = await clinic.GetAsync($"{clinic.Base}/events?limit=5&after={cursor}");
            var items = page["items"]!.AsArray();
            seen.AddRange(items.Select(e => (long)e!["id"]!));
            cursor = (string)page["nextCursor"]!;
            return items.Count;
        }

        // Six writers, each booking four sessions one after another, on distinct chairs and hours.
        var writers = Task.WhenAll(Enumerable.Range(0, 6).Select(async writer =>
        {
            for (var k = 0; k < 4; k++)
            {
                var n = writer * 4 + k;
                var start = $"2027-05-{3 + n / 4 % 5:00}T{9 + n % 4 * 2:00}:00";
                await clinic.PostAsync($"{clinic.Base}/sessions", Requests.Booking(patients[n], chairs[writer % 4], start), HttpStatusCode.Created);
            }
        }));
        while (!writers.IsCompleted)
        {
            await PollAsync();
        }

        await writers;
        while (await PollAsync() > 0)
        {
        }

        Assert.Equal(await EventIdsInTableAsync(clinic.ClinicId), seen);
        Assert.Equal(1 + 4 + 24 + 24, seen.Count); // the clinic, its chairs, its patients and the bookings
    }

    private async Task<List<long>> EventIdsInTableAsync(string clinicId)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        return (await connection.QueryAsync<long>("SELECT id FROM events WHERE clinic_id = @clinicId ORDER BY id", new { clinicId })).AsList();
    }
}
