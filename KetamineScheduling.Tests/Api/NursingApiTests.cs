using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Nurse staffing, enforced like chairs: where a clinic counts nurses, every session needs a nurse on shift for its
/// infusion and observation, who sets up no other IV during its set-up and watches at most so many patients at once.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NursingApiTests(ApiFactory factory)
{
    [Fact]
    public async Task With_two_patients_per_nurse_and_one_nurse_a_third_overlapping_booking_answers_409_naming_nurse_capacity()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 2, setupMinutes: 0);
        var nurse = await AddNurseAsync(clinic, day);

        using var first = await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00");
        using var second = await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:30");
        using var third = await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:45");

        Assert.Equal(nurse, (string)(await ClinicDriver.ReadAsync(first, HttpStatusCode.Created))["nurseId"]!);
        Assert.Equal(nurse, (string)(await ClinicDriver.ReadAsync(second, HttpStatusCode.Created))["nurseId"]!);
        var problem = await ClinicDriver.ProblemAsync(third, HttpStatusCode.Conflict);
        Assert.Equal("NursesFull", (string)problem["obstacle"]!);
        Assert.Contains("nurse capacity", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Once_the_first_patient_leaves_the_nurse_takes_another()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 1, setupMinutes: 0);
        await AddNurseAsync(clinic, day);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00", HttpStatusCode.Created);

        // 40 minutes of infusion and 30 of observation: the patient leaves at 11:10, while the chair is still cleaned.
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T11:00", HttpStatusCode.Conflict);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T11:15", HttpStatusCode.Created);
    }

    [Fact]
    public async Task Two_set_ups_inside_the_same_15_minutes_answer_409_and_the_next_free_set_up_is_accepted()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 4, setupMinutes: 15, slotMinutes: 5);
        await AddNurseAsync(clinic, day);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00", HttpStatusCode.Created);

        using var during = await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:10");
        var problem = await ClinicDriver.ProblemAsync(during, HttpStatusCode.Conflict);
        Assert.Equal("NurseSettingUp", (string)problem["obstacle"]!);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T09:45", HttpStatusCode.Created);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:15", HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_session_outside_every_shift_answers_409_no_nurse_on_shift()
    {
        var (clinic, day) = await NursingClinicAsync();
        await AddNurseAsync(clinic, day, starts: "08:00", ends: "12:00");

        using var late = await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T11:00");

        Assert.Equal("NoNurseOnShift", (string)(await ClinicDriver.ProblemAsync(late, HttpStatusCode.Conflict))["obstacle"]!);
    }

    [Fact]
    public async Task A_second_nurse_takes_the_patients_the_first_has_no_room_for()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 1, setupMinutes: 0);
        var first = await AddNurseAsync(clinic, day);
        var second = await AddNurseAsync(clinic, day);

        var a = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);
        var b = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);

        Assert.NotEqual((string)a["nurseId"]!, (string)b["nurseId"]!);
        Assert.Equal(new[] { first, second }.Order(), new[] { (string)a["nurseId"]!, (string)b["nurseId"]! }.Order());
    }

    [Fact]
    public async Task Availability_offers_no_start_that_no_nurse_could_take()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 1, setupMinutes: 0);
        await AddNurseAsync(clinic, day);
        await clinic.AddChairAsync();
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00", HttpStatusCode.Created);

        var free = await FreeStartsAsync(clinic, day);

        Assert.DoesNotContain(free, s => s.StartsWith($"{day}T10:00", StringComparison.Ordinal));
        Assert.DoesNotContain(free, s => s.StartsWith($"{day}T09:00", StringComparison.Ordinal));
        Assert.Contains(free, s => s.StartsWith($"{day}T08:45", StringComparison.Ordinal));
        Assert.Contains(free, s => s.StartsWith($"{day}T11:15", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_booking_staggers_a_set_up_the_nurse_is_busy_with_and_names_a_nurse_for_every_session()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 4, setupMinutes: 15);
        var nurse = await AddNurseAsync(clinic, day, everyDayFor: 14);
        await clinic.AddChairAsync();
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00", HttpStatusCode.Created);
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.AddPlanAsync(patient, day, inductionSessions: 3);

        var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        var sessions = booked["sessions"]!.AsArray().Select(s => s!["session"]!).ToList();
        Assert.Equal(3, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(nurse, (string)s!["nurseId"]!));
        Assert.StartsWith($"{day}T09:45", (string)sessions[0]!["start"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_booking_books_nothing_when_one_session_finds_no_nurse()
    {
        var (clinic, day) = await NursingClinicAsync();
        await AddNurseAsync(clinic, day);
        await clinic.AddChairAsync();
        var patient = await clinic.AddPatientAsync();
        var plan = await clinic.AddPlanAsync(patient, day, inductionSessions: 3);

        using var response = await clinic.Client.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null);

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(problem["unplaced"]!.AsArray(), u => (string)u!["obstacle"]! == "NoNurseOnShift");
        var after = await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");
        Assert.All(after["sessions"]!.AsArray(), s => Assert.Null(s!["session"]));
    }

    [Fact]
    public async Task A_reservation_claims_its_nurse_shows_it_and_the_session_it_becomes_keeps_that_nurse()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 1, setupMinutes: 0);
        var nurse = await AddNurseAsync(clinic, day);
        var reservation = await clinic.PostAsync(
            $"{clinic.Base}/reservations", new { patientId = await clinic.AddPatientAsync(), chairId = await clinic.AddChairAsync(), start = $"{day}T10:00", infusionMinutes = 40 }, HttpStatusCode.Created);
        Assert.Equal(nurse, (string)reservation["nurseId"]!);
        Assert.Equal(nurse, (string)(await clinic.GetAsync($"{clinic.Base}/reservations/{reservation["id"]}"))["nurseId"]!);

        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:30", HttpStatusCode.Conflict);
        var session = await clinic.PostAsync(
            $"{clinic.Base}/sessions",
            new { patientId = (string)reservation["patientId"]!, chairId = (string)reservation["chairId"]!, start = $"{day}T10:00", infusionMinutes = 40, reservationId = (string)reservation["id"]! },
            HttpStatusCode.Created);

        Assert.Equal(nurse, (string)session["nurseId"]!);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:30", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rescheduling_into_time_the_nurse_has_no_room_for_answers_409_and_a_free_time_moves_the_nurse_with_it()
    {
        var (clinic, day) = await NursingClinicAsync(patientsPerNurse: 1, setupMinutes: 0);
        var nurse = await AddNurseAsync(clinic, day);
        await BookAsync(clinic, await clinic.AddChairAsync(), $"{day}T10:00", HttpStatusCode.Created);
        var later = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T13:00"), HttpStatusCode.Created);

        using var move = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions/{later["id"]}/reschedule", new { start = $"{day}T10:30" });
        var problem = await ClinicDriver.ProblemAsync(move, HttpStatusCode.Conflict);
        Assert.Equal("NursesFull", (string)problem["obstacle"]!);
        using var free = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions/{later["id"]}/reschedule", new { start = $"{day}T14:00" });
        var moved = await ClinicDriver.ReadAsync(free, HttpStatusCode.OK);
        Assert.Equal(nurse, (string)moved["session"]!["nurseId"]!);
    }

    [Fact]
    public async Task Taking_a_nurse_off_a_shift_with_booked_sessions_answers_409_listing_them_and_succeeds_once_they_are_cancelled()
    {
        var (clinic, day) = await NursingClinicAsync();
        var nurse = await AddNurseAsync(clinic, day);
        var shift = (string)(await clinic.GetAsync($"{clinic.Base}/shifts?date={day}"))["items"]![0]!["id"]!;
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);

        using var refused = await clinic.Client.DeleteAsync($"{clinic.Base}/staff/{nurse}/shifts/{shift}");
        var problem = await ClinicDriver.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal((string)session["id"]!, (string)problem["sessions"]![0]!["id"]!);
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Patient unwell" }, HttpStatusCode.OK);
        using var deleted = await clinic.Client.DeleteAsync($"{clinic.Base}/staff/{nurse}/shifts/{shift}");

        using var again = await clinic.Client.DeleteAsync($"{clinic.Base}/staff/{nurse}/shifts/{shift}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/shifts?date={day}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_session_across_two_shifts_that_meet_is_booked_and_needs_both_of_them()
    {
        var (clinic, day) = await NursingClinicAsync();
        var nurse = await AddNurseAsync(clinic, day, starts: "08:00", ends: "10:30");
        var afternoon = await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "10:30", ends = "17:00" }, HttpStatusCode.Created);

        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);
        using var refused = await clinic.Client.DeleteAsync($"{clinic.Base}/staff/{nurse}/shifts/{afternoon["id"]}");

        Assert.Equal(nurse, (string)session["nurseId"]!);
        Assert.Equal((string)session["id"]!, (string)(await ClinicDriver.ProblemAsync(refused, HttpStatusCode.Conflict))["sessions"]![0]!["id"]!);
    }

    [Fact]
    public async Task A_nurse_with_sessions_to_come_cannot_be_marked_inactive_or_stop_nursing_until_they_are_moved()
    {
        var (clinic, day) = await NursingClinicAsync();
        var nurse = await AddNurseAsync(clinic, day);
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);

        using var inactive = await clinic.PatchAsync($"{clinic.Base}/staff/{nurse}", new { active = false });
        using var prescriberOnly = await clinic.PatchAsync($"{clinic.Base}/staff/{nurse}", new { kinds = new[] { "prescriber" } });
        await clinic.PostAsync($"{clinic.Base}/sessions/{session["id"]}/cancel", new { reason = "Moved to another clinic" }, HttpStatusCode.OK);
        var left = await clinic.PatchAsync($"{clinic.Base}/staff/{nurse}", new { active = false }, HttpStatusCode.OK);

        Assert.Equal((string)session["id"]!, (string)(await ClinicDriver.ProblemAsync(inactive, HttpStatusCode.Conflict))["sessions"]![0]!["id"]!);
        Assert.Equal(HttpStatusCode.Conflict, prescriberOnly.StatusCode);
        Assert.False((bool)left["active"]!);
    }

    [Fact]
    public async Task A_nurse_who_leaves_or_stops_nursing_is_taken_off_their_shifts_to_come()
    {
        var (clinic, day) = await NursingClinicAsync();
        var leaving = await AddNurseAsync(clinic, day);
        var retraining = await AddNurseAsync(clinic, day, "12:00", "18:00");
        var staying = await AddNurseAsync(clinic, day, "07:00", "11:00");

        await clinic.PatchAsync($"{clinic.Base}/staff/{leaving}", new { active = false }, HttpStatusCode.OK);
        await clinic.PatchAsync($"{clinic.Base}/staff/{retraining}", new { kinds = new[] { "prescriber" } }, HttpStatusCode.OK);

        var onShift = (await clinic.GetAsync($"{clinic.Base}/shifts?date={day}"))["items"]!.AsArray().Select(s => (string)s!["staffId"]!).ToList();
        Assert.Equal([staying], onShift);
    }

    [Fact]
    public async Task A_shift_already_begun_when_its_nurse_leaves_stays_listed_as_the_record()
    {
        var (clinic, day) = await NursingClinicAsync();
        var date = LocalDatePattern.Iso.Parse(day).Value;
        var nextDay = LocalDatePattern.Iso.Format(date.PlusDays(1));
        var nurse = await AddNurseAsync(clinic, day, "08:00", "12:00", everyDayFor: 1);
        factory.Clock.Reset(date.At(new LocalTime(10, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant());

        await clinic.PatchAsync($"{clinic.Base}/staff/{nurse}", new { active = false }, HttpStatusCode.OK);

        Assert.Single((await clinic.GetAsync($"{clinic.Base}/shifts?date={day}"))["items"]!.AsArray());
        Assert.Empty((await clinic.GetAsync($"{clinic.Base}/shifts?date={nextDay}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Shifts_are_for_active_nurses_one_at_a_time_and_end_after_they_start()
    {
        var (clinic, day) = await NursingClinicAsync();
        var nurse = await AddNurseAsync(clinic, day, starts: "08:00", ends: "12:00");
        var prescriber = await clinic.AddPrescriberAsync();

        using var notANurse = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/staff/{prescriber}/shifts", new { date = day, starts = "08:00", ends = "12:00" });
        using var overlapping = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "11:00", ends = "15:00" });
        using var backwards = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "15:00", ends = "13:00" });
        using var unknown = await clinic.Client.PostAsJsonAsync($"{clinic.Base}/staff/{Guid.NewGuid()}/shifts", new { date = day, starts = "13:00", ends = "15:00" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notANurse.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.NotNull((await ClinicDriver.ProblemAsync(backwards, HttpStatusCode.BadRequest))["errors"]!["ends"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = day, starts = "12:00", ends = "17:00" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Turning_nursing_on_gives_booked_sessions_a_nurse_and_is_refused_listing_them_while_no_nurse_is_on_shift()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var day = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());
        var session = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);
        Assert.Null(session["nurseId"]);

        using var refused = await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true } });
        var problem = await ClinicDriver.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal((string)session["id"]!, (string)problem["sessions"]![0]!["id"]!);
        Assert.False((bool)(await clinic.GetAsync(clinic.Base))["nursing"]!["enabled"]!);

        var nurse = await AddNurseAsync(clinic, day);
        var changed = await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true } }, HttpStatusCode.OK);
        Assert.Equal(new JsonObject { ["enabled"] = true, ["patientsPerNurse"] = 4, ["setupMinutes"] = 15 }.ToJsonString(), changed["clinic"]!["nursing"]!.ToJsonString());
        Assert.Equal(nurse, (string)(await clinic.GetAsync($"{clinic.Base}/sessions/{session["id"]}"))["nurseId"]!);
    }

    [Fact]
    public async Task A_clinic_that_leaves_nursing_off_books_without_nurses_and_shows_the_defaults()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var day = ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant());

        var read = await clinic.GetAsync(clinic.Base);
        var a = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);
        var b = await clinic.PostAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), await clinic.AddChairAsync(), $"{day}T10:00"), HttpStatusCode.Created);

        Assert.Equal(new JsonObject { ["enabled"] = false, ["patientsPerNurse"] = 4, ["setupMinutes"] = 15 }.ToJsonString(), read["nursing"]!.ToJsonString());
        Assert.Null(a["nurseId"]);
        Assert.Null(b["nurseId"]);
    }

    [Fact]
    public async Task Nursing_settings_out_of_range_answer_400_naming_the_field()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();

        using var response = await clinic.PatchAsync(clinic.Base, new { nursing = new { patientsPerNurse = 9, setupMinutes = 61 } });

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["nursing.patientsPerNurse"]);
        Assert.NotNull(problem["errors"]!["nursing.setupMinutes"]);
    }

    [Fact]
    public async Task Bookings_racing_through_two_API_processes_never_give_a_nurse_more_patients_than_the_ratio()
    {
        using var database = new TempDatabase("two-processes-nursing");
        await using var first = await ApiProcess.StartAsync(database.Path);
        await using var second = await ApiProcess.StartAsync(database.Path);
        var clinic = await new ClinicDriver(first.NewClient()).CreateClinicAsync();
        var day = ClinicDriver.NextWeekday(SystemClock.Instance.GetCurrentInstant());
        await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true, patientsPerNurse = 2, setupMinutes = 0 } }, HttpStatusCode.OK);
        await AddNurseAsync(clinic, day);
        using var two = second.NewClient(clinic.Key);
        var chairs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => clinic.AddChairAsync()));
        var patients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => clinic.AddPatientAsync()));

        var answers = await Task.WhenAll(patients.Select(async (patient, i) =>
        {
            using var response = await (i % 2 == 0 ? clinic.Client : two).PostAsJsonAsync($"{clinic.Base}/sessions", Booking(patient, chairs[i], $"{day}T10:00"));
            return response.StatusCode;
        }));

        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.Created));
        Assert.Equal(6, answers.Count(a => a == HttpStatusCode.Conflict));
        var booked = await new ClinicDriver(two).GetAsync($"{clinic.Base}/sessions?date={day}");
        Assert.Equal(2, booked["items"]!.AsArray().Count);
    }

    /// <summary>A new clinic (London, Monday to Saturday 08:00-17:00) counting nurses, and a weekday a week after the fake clock's today.</summary>
    private async Task<(ClinicDriver Clinic, string Day)> NursingClinicAsync(int patientsPerNurse = 4, int setupMinutes = 15, int slotMinutes = 15)
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync(slotMinutes: slotMinutes);
        await clinic.PatchAsync(clinic.Base, new { nursing = new { enabled = true, patientsPerNurse, setupMinutes } }, HttpStatusCode.OK);
        return (clinic, ClinicDriver.NextWeekday(factory.Clock.GetCurrentInstant()));
    }

    /// <summary>A nurse on shift on <paramref name="day"/> (and the <paramref name="everyDayFor"/> days after it, when given): their id.</summary>
    private static async Task<string> AddNurseAsync(ClinicDriver clinic, string day, string starts = "08:00", string ends = "17:00", int everyDayFor = 0)
    {
        var nurse = (string)(await clinic.PostAsync($"{clinic.Base}/staff", new { name = "Test Nurse", kinds = new[] { "nurse" } }, HttpStatusCode.Created))["id"]!;
        var first = LocalDatePattern.Iso.Parse(day).Value;
        for (var i = 0; i <= everyDayFor; i++)
        {
            await clinic.PostAsync($"{clinic.Base}/staff/{nurse}/shifts", new { date = LocalDatePattern.Iso.Format(first.PlusDays(i)), starts, ends }, HttpStatusCode.Created);
        }

        return nurse;
    }

    private static object Booking(string patientId, string chairId, string start) => new { patientId, chairId, start, infusionMinutes = 40 };

    private static async Task<HttpResponseMessage> BookAsync(ClinicDriver clinic, string chairId, string start) =>
        await clinic.Client.PostAsJsonAsync($"{clinic.Base}/sessions", Booking(await clinic.AddPatientAsync(), chairId, start));

    private static async Task BookAsync(ClinicDriver clinic, string chairId, string start, HttpStatusCode expected)
    {
        using var response = await BookAsync(clinic, chairId, start);
        Assert.True(response.StatusCode == expected, $"Booking {start}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<List<string>> FreeStartsAsync(ClinicDriver clinic, string day) =>
        (await clinic.GetAsync($"{clinic.Base}/availability?date={day}&infusionMinutes=40"))["items"]!.AsArray().Select(i => (string)i!["start"]!).ToList();
}
