using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Reservations hold a chair and a patient's time in the database, as sessions do, until the clock reaches their
/// expiry; then the next claim of that time clears them, with no timer.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReservationsApiTests(ApiFactory factory)
{
    [Fact]
    public async Task A_live_reservation_refuses_a_booking_and_another_reservation_of_its_chair_with_409()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var held = await ReserveAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");

        var booking = await BookAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:30");
        var another = await PostAsync(clinic, "reservations", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T09:30", infusionMinutes = 40 });

        Assert.Equal(HttpStatusCode.Conflict, booking.StatusCode);
        Assert.Contains("chair is taken", (string)(await ClinicDriver.ProblemAsync(booking, HttpStatusCode.Conflict))["detail"]!);
        Assert.Equal(HttpStatusCode.Conflict, another.StatusCode);
        Assert.Equal("Held", (string)held["status"]!);
    }

    [Fact]
    public async Task A_live_reservation_holds_its_patient_too()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await ReserveAsync(clinic, patient, chair, $"{day}T10:00");

        using var elsewhere = await BookAsync(clinic, patient, await clinic.AddChairAsync(), $"{day}T10:15");

        var problem = await ClinicDriver.ProblemAsync(elsewhere, HttpStatusCode.Conflict);
        Assert.Contains("patient already has a session or a reservation", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Availability_does_not_offer_reserved_time_until_the_reservation_expires()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var held = await ReserveAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00", ttlSeconds: 60);

        var during = await FreeStartsAsync(clinic, day);
        factory.Clock.Reset(Expiry(held));
        var after = await FreeStartsAsync(clinic, day);

        Assert.DoesNotContain(during, s => s.StartsWith($"{day}T10:00", StringComparison.Ordinal));
        Assert.DoesNotContain(during, s => s.StartsWith($"{day}T09:30", StringComparison.Ordinal));
        Assert.Contains(after, s => s.StartsWith($"{day}T10:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_reservation_frees_the_chair_at_the_fake_clocks_second()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var held = await ReserveAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00", ttlSeconds: 60);
        var expiresAt = Expiry(held);
        Assert.Equal(factory.Clock.GetCurrentInstant().Plus(Duration.FromSeconds(60)).ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());

        factory.Clock.Reset(expiresAt - Duration.FromSeconds(1));
        using var aSecondEarly = await BookAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");
        factory.Clock.Reset(expiresAt);
        using var onTheSecond = await BookAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");

        Assert.Equal(HttpStatusCode.Conflict, aSecondEarly.StatusCode);
        await ClinicDriver.ReadAsync(onTheSecond, HttpStatusCode.Created);
        var reread = await clinic.GetAsync($"{clinic.Base}/reservations/{held["id"]}");
        Assert.Equal("Expired", (string)reread["status"]!);
        Assert.Contains(await EventsAsync(clinic), e => (string)e!["type"]! == "reservation.expired" && (string)e["resourceId"]! == (string)held["id"]!);
    }

    [Fact]
    public async Task Booking_a_reservation_makes_it_the_session_of_its_id_on_its_chair_and_start()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var held = await ReserveAsync(clinic, patient, chair, $"{day}T10:00");

        using var response = await BookAsync(clinic, patient, chair, $"{day}T10:00", reservationId: (string)held["id"]!);

        var session = await ClinicDriver.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal((string)held["id"]!, (string)session["id"]!);
        Assert.Equal((string)held["start"]!, (string)session["start"]!);
        Assert.Equal(chair, (string)session["chairId"]!);
        var reread = await clinic.GetAsync($"{clinic.Base}/reservations/{held["id"]}");
        Assert.Equal("Converted", (string)reread["status"]!);
        Assert.Equal((string)held["id"]!, (string)reread["sessionId"]!);
        var types = (await EventsAsync(clinic)).Select(e => (string)e!["type"]!).ToList();
        Assert.Contains("reservation.created", types);
        Assert.Contains("reservation.converted", types);
        Assert.Contains("session.booked", types);
        using var again = await BookAsync(clinic, patient, chair, $"{day}T10:00", reservationId: (string)held["id"]!);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Booking_a_reservation_with_another_chair_names_the_field_in_a_409()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var held = await ReserveAsync(clinic, patient, chair, $"{day}T10:00");

        using var response = await BookAsync(clinic, patient, await clinic.AddChairAsync(), $"{day}T10:00", reservationId: (string)held["id"]!);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.NotNull(problem["errors"]!["chairId"]);
    }

    [Fact]
    public async Task Booking_an_expired_reservation_answers_410()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var held = await ReserveAsync(clinic, patient, chair, $"{day}T10:00", ttlSeconds: 60);
        factory.Clock.Reset(Expiry(held));

        using var response = await BookAsync(clinic, patient, chair, $"{day}T10:00", reservationId: (string)held["id"]!);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Gone);
        Assert.Contains("expired", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Releasing_a_reservation_frees_its_time_at_once()
    {
        var (clinic, chair, day) = await NewClinicAsync();
        var held = await ReserveAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");

        using var released = await clinic.Client.DeleteAsync($"{clinic.Base}/reservations/{held["id"]}");
        using var booking = await BookAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");

        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        await ClinicDriver.ReadAsync(booking, HttpStatusCode.Created);
        Assert.Equal("Released", (string)(await clinic.GetAsync($"{clinic.Base}/reservations/{held["id"]}"))["status"]!);
        using var bookReleased = await BookAsync(clinic, (string)held["patientId"]!, chair, $"{day}T10:00", reservationId: (string)held["id"]!);
        Assert.Equal(HttpStatusCode.Gone, bookReleased.StatusCode);
    }

    [Fact]
    public async Task A_hold_outside_60_to_1800_seconds_is_a_400_naming_ttlSeconds()
    {
        var (clinic, chair, day) = await NewClinicAsync();

        using var response = await PostAsync(clinic, "reservations", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40, ttlSeconds = 1801 });

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["ttlSeconds"]);
    }

    [Fact]
    public async Task A_reservation_lasts_five_minutes_unless_told_otherwise()
    {
        var (clinic, chair, day) = await NewClinicAsync();

        var held = await ReserveAsync(clinic, await clinic.AddPatientAsync(), chair, $"{day}T10:00");

        Assert.Equal(factory.Clock.GetCurrentInstant().Plus(Duration.FromMinutes(5)).ToUnixTimeSeconds(), Expiry(held).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Twenty_reservations_of_one_chair_across_two_API_processes_on_one_database_give_one_201()
    {
        using var database = new TempDatabase("two-processes-reservations");
        await using var first = await ApiProcess.StartAsync(database.Path);
        await using var second = await ApiProcess.StartAsync(database.Path);
        var clinic = await new ClinicDriver(first.NewClient()).CreateClinicAsync();
        using var two = second.NewClient(clinic.Key);
        var chair = await clinic.AddChairAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => clinic.AddPatientAsync()));
        var day = ClinicDriver.NextWeekday(SystemClock.Instance.GetCurrentInstant());

        var answers = await Task.WhenAll(patients.Select(async (patient, i) =>
        {
            using var response = await (i % 2 == 0 ? clinic.Client : two).PostAsJsonAsync(
                $"{clinic.Base}/reservations", new { patientId = patient, chairId = chair, start = $"{day}T10:00", infusionMinutes = 40, ttlSeconds = 1800 });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var id = (string)ClinicDriver.ReadJson(answers.Single(a => a.StatusCode == HttpStatusCode.Created).Body)["id"]!;
        var reread = await new ClinicDriver(two).GetAsync($"{clinic.Base}/reservations/{id}");
        Assert.Equal("Held", (string)reread["status"]!);
        using var booking = await two.PostAsJsonAsync($"{clinic.Base}/sessions", new { patientId = await clinic.AddPatientAsync(), chairId = chair, start = $"{day}T10:00", infusionMinutes = 40 });
        Assert.Equal(HttpStatusCode.Conflict, booking.StatusCode);
    }

    /// <summary>A new clinic (London, open Monday to Saturday 08:00-17:00), a chair, and a weekday at least a week after the fake clock's today.</summary>
    private async Task<(ClinicDriver Clinic, string Chair, string Day)> NewClinicAsync()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        return (clinic, await clinic.AddChairAsync(), ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant()));
    }

    private static Instant Expiry(JsonObject reservation) => InstantPattern.ExtendedIso.Parse((string)reservation["expiresAt"]!).Value;

    private static async Task<JsonObject> ReserveAsync(ClinicDriver clinic, string patientId, string chairId, string start, int? ttlSeconds = null) =>
        await clinic.PostAsync($"{clinic.Base}/reservations", new { patientId, chairId, start, infusionMinutes = 40, ttlSeconds }, HttpStatusCode.Created);

    private static Task<HttpResponseMessage> BookAsync(ClinicDriver clinic, string patientId, string chairId, string start, string? reservationId = null) =>
        PostAsync(clinic, "sessions", new { patientId, chairId, start, infusionMinutes = 40, reservationId });

    private static Task<HttpResponseMessage> PostAsync(ClinicDriver clinic, string path, object body) =>
        clinic.Client.PostAsJsonAsync($"{clinic.Base}/{path}", body);

    private static async Task<List<string>> FreeStartsAsync(ClinicDriver clinic, string day) =>
        (await clinic.GetAsync($"{clinic.Base}/availability?date={day}&infusionMinutes=40"))["items"]!.AsArray().Select(i => (string)i!["start"]!).ToList();

    private static async Task<JsonArray> EventsAsync(ClinicDriver clinic) =>
        (await clinic.GetAsync($"{clinic.Base}/events?limit=100"))["items"]!.AsArray();
}
