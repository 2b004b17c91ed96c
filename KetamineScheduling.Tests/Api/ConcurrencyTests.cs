using System.Net;
using System.Net.Http.Json;

namespace KetamineScheduling.Tests.Api;

/// <summary>Double booking is refused by the database, so it holds under any number of requests and processes.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrencyTests(ApiFactory factory)
{
    [Fact]
    public async Task Twenty_simultaneous_bookings_of_one_chair_give_one_201_and_nineteen_409s()
    {
        var client = factory.NewClient();
        var clinic = await new ClinicDriver(client).CreateClinicAsync();
        var chair = await clinic.AddChairAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => clinic.AddPatientAsync()));

        var statuses = await Task.WhenAll(patients.Select(async patient =>
        {
            using var response = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-06-01T10:00", infusionMinutes = 40 });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        var day = await clinic.GetAsync($"{clinic.Base}/sessions?date=2027-06-01");
        Assert.Single(day["items"]!.AsArray());
    }

    [Fact]
    public async Task Twenty_bookings_split_across_two_API_processes_on_one_database_give_one_201()
    {
        using var database = new TempDatabase("two-processes");
        var path = database.Path;
        await using var first = await ApiProcess.StartAsync(path);
        await using var second = await ApiProcess.StartAsync(path);
        var clinic = await new ClinicDriver(first.NewClient()).CreateClinicAsync();
        var one = clinic.Client;
        using var two = second.NewClient(clinic.Key);
        var chair = await clinic.AddChairAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => clinic.AddPatientAsync()));

        var statuses = await Task.WhenAll(patients.Select(async (patient, i) =>
        {
            using var response = await (i % 2 == 0 ? one : two).PostAsJsonAsync(
                $"{clinic.Base}/sessions", new { patientId = patient, chairId = chair, start = "2027-06-01T10:00", infusionMinutes = 40 });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        var day = await new ClinicDriver(two).GetAsync($"{clinic.Base}/sessions?date=2027-06-01");
        Assert.Single(day["items"]!.AsArray());
    }

    [Fact]
    public async Task Booked_data_survives_a_restart_of_the_API()
    {
        using var database = new TempDatabase("restart");
        var path = database.Path;
        string clinicBase, clinicKey, sessionId;
        await using (var before = await ApiProcess.StartAsync(path))
        {
            var clinic = await new ClinicDriver(before.NewClient()).CreateClinicAsync("Australia/Sydney");
            var session = await clinic.PostAsync($"{clinic.Base}/sessions",
                new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = "2027-10-04T10:00", infusionMinutes = 50 },
                HttpStatusCode.Created);
            (clinicBase, clinicKey, sessionId) = (clinic.Base, clinic.Key, (string)session["id"]!);
        }

        await using var after = await ApiProcess.StartAsync(path);
        var reread = await new ClinicDriver(after.NewClient(clinicKey)).GetAsync($"{clinicBase}/sessions/{sessionId}");

        Assert.Equal("2027-10-04T10:00:00+11:00", (string)reread["start"]!);
        Assert.Equal(50, (int)reread["infusionMinutes"]!);
    }
}
