using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Tests.Data;

/// <summary>
/// The feature stores' SQL on every engine: what the API relies on the database for, above all that it refuses
/// double bookings itself. One empty subclass per engine runs it.
/// </summary>
public abstract class SchedulingStoreTests(DatabaseFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant Now = Instant.FromUtc(2027, 1, 4, 9, 0);
    private static readonly SessionLength Length = new(40, 30, 15);

    private Database Db => fixture.Migrated;

    private async Task<(Clinic Clinic, Guid Chair, Guid Patient)> NewClinicAsync(int? maxStartsPerSlot = null)
    {
        var clinic = new Clinic(
            Guid.CreateVersion7(), "Store clinic", DateTimeZoneProviders.Tzdb["Europe/London"],
            [.. Enumerable.Range(1, 6).Select(d => new OpeningHoursEntry((IsoDayOfWeek)d, new LocalTime(8, 0), new LocalTime(17, 0)))],
            [new LocalDate(2027, 12, 25)], 15, 15, 30, maxStartsPerSlot, false, 1);
        var chair = Guid.CreateVersion7();
        var patient = Guid.CreateVersion7();
        await Db.WriteAsync(async (connection, transaction) =>
        {
            await ClinicStore.InsertAsync(connection, transaction, clinic, Now);
            await ChairStore.InsertAsync(connection, transaction, clinic.Id, new ChairResponse(chair, "Chair"), Now);
            await PatientStore.InsertAsync(connection, transaction, clinic.Id, new PatientResponse(patient, $"MRN-{patient:N}", "Store Patient"), Now);
            return 0;
        }, None);
        return (clinic, chair, patient);
    }

    private async Task<Guid> NewPatientAsync(Guid clinicId)
    {
        var patient = Guid.CreateVersion7();
        await Db.WriteAsync((c, t) => PatientStore.InsertAsync(c, t, clinicId, new PatientResponse(patient, $"MRN-{patient:N}", "Another"), Now), None);
        return patient;
    }

    private static Session At(Clinic clinic, Guid patient, Guid chair, int hour, int minute = 0) =>
        new(Guid.CreateVersion7(), patient, chair, clinic.Calendar.AtClinicTime(new LocalDateTime(2027, 5, 3, hour, minute)), Length);

    private async Task BookAsync(Clinic clinic, params Session[] sessions) =>
        await Db.WriteAsync(async (c, t) =>
        {
            await SessionStore.InsertAsync(c, t, clinic, sessions, Now);
            return 0;
        }, None);

    private async Task BookAtAsync(Clinic clinic, Session session, Instant now) =>
        await Db.WriteAsync(async (c, t) =>
        {
            await SessionStore.InsertAsync(c, t, clinic, [session], now);
            return 0;
        }, None);

    private async Task HoldAsync(Clinic clinic, Reservation reservation) =>
        await Db.WriteAsync(async (c, t) =>
        {
            await ReservationStore.InsertAsync(Db, c, t, clinic, reservation);
            return 0;
        }, None);

    [SkippableFact]
    public async Task A_live_reservation_holds_its_chair_under_the_session_keys_until_the_next_claim_after_it_expires()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var reservation = Reservation.Hold(At(clinic, patient, chair, 10), Now, 60);
        await HoldAsync(clinic, reservation);
        var other = At(clinic, await NewPatientAsync(clinic.Id), chair, 10, 30);

        await Assert.ThrowsAsync<ConflictException>(() => BookAtAsync(clinic, other, reservation.ExpiresAt - Duration.FromMilliseconds(1)));
        await using (var connection = await Db.OpenAsync(None))
        {
            var during = await SessionStore.OccupancyAsync(connection, clinic, new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 3), Now);
            var after = await SessionStore.OccupancyAsync(connection, clinic, new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 3), reservation.ExpiresAt);
            Assert.Single(during.OnChair(chair, new LocalDate(2027, 5, 3)));
            Assert.Empty(after.OnChair(chair, new LocalDate(2027, 5, 3)));
        }

        await BookAtAsync(clinic, other, reservation.ExpiresAt);

        await using var read = await Db.OpenAsync(None);
        Assert.Equal(nameof(ReservationStatus.Expired), (await ReservationStore.FindAsync(read, clinic.Id, reservation.Id))!.Status);
    }

    [SkippableFact]
    public async Task A_reservation_booked_becomes_the_session_of_its_id()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var reservation = Reservation.Hold(At(clinic, patient, chair, 10), Now, 300);
        await HoldAsync(clinic, reservation);

        var (session, refused) = await Db.WriteAsync((c, t) => ReservationBooking.ConvertAsync(Db, c, t, clinic.Id, reservation.Id, Now), None);

        Assert.Null(refused);
        Assert.Equal(reservation.Id, session!.Id);
        await using var read = await Db.OpenAsync(None);
        Assert.Equal(nameof(ReservationStatus.Converted), (await ReservationStore.FindAsync(read, clinic.Id, reservation.Id))!.Status);
        Assert.Equal(chair, (await SessionStore.FindAsync(read, clinic.Id, reservation.Id))!.ChairId);
        var taken = At(clinic, await NewPatientAsync(clinic.Id), chair, 10);
        await Assert.ThrowsAsync<ConflictException>(() => BookAtAsync(clinic, taken, Now));
    }

    [SkippableFact]
    public async Task A_chair_out_of_service_refuses_a_booking_read_before_it_went_out()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        await Db.WriteAsync((c, t) => ChairStore.UpdateAsync(c, t, clinic.Id, new ChairResponse(chair, "Chair", InService: false, Version: 2), 1), None);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => BookAsync(clinic, At(clinic, patient, chair, 10)));

        Assert.Contains("out of service", refused.Message);
    }

    [SkippableFact]
    public async Task Starts_claimed_again_under_a_new_limit_keep_those_over_it_and_refuse_one_more()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var (second, third) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await Db.WriteAsync(async (c, t) =>
        {
            await ChairStore.InsertAsync(c, t, clinic.Id, new ChairResponse(second, "Second"), Now);
            return await ChairStore.InsertAsync(c, t, clinic.Id, new ChairResponse(third, "Third"), Now);
        }, None);
        Session[] booked = [At(clinic, patient, chair, 10), At(clinic, await NewPatientAsync(clinic.Id), second, 10)];
        await BookAsync(clinic, booked);
        var limited = clinic with { MaxStartsPerSlot = 1 };

        await Db.WriteAsync(async (c, t) =>
        {
            await SessionStore.ReclaimAsync(c, t, limited, booked, Now);
            return 0;
        }, None);
        var oneMore = At(limited, await NewPatientAsync(clinic.Id), third, 10);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => BookAsync(limited, oneMore));
        Assert.Contains("limit of 1", refused.Message);
    }

    [SkippableFact]
    public async Task A_clinic_and_its_calendar_round_trip()
    {
        var (clinic, _, _) = await NewClinicAsync(maxStartsPerSlot: 2);

        await using var connection = await Db.OpenAsync(None);
        var found = await ClinicStore.FindAsync(connection, clinic.Id);

        Assert.NotNull(found);
        Assert.Equal("Europe/London", found.Zone.Id);
        Assert.Equal(6, found.OpeningHours.Count);
        Assert.All(found.OpeningHours, h => Assert.Equal((new LocalTime(8, 0), new LocalTime(17, 0)), (h.Opens, h.Closes)));
        Assert.Equal([new LocalDate(2027, 12, 25)], found.ClosedDates);
        Assert.Equal(2, found.MaxStartsPerSlot);
    }

    [SkippableFact]
    public async Task A_clinics_readiness_settings_round_trip_and_none_given_reads_as_required_with_the_defaults()
    {
        var (clinic, _, _) = await NewClinicAsync();
        var limits = new ReadinessLimits(minFastingHours: 2.5m, maxSystolic: 150, minSpo2: 92, rideHomeRequired: false);
        await Db.WriteAsync((c, t) => ClinicStore.UpdateAsync(c, t, clinic with { ReadinessRequired = false, ReadinessLimits = limits, Version = 2 }, 1, hoursChanged: false, Now), None);
        var (plain, _, _) = await NewClinicAsync();

        await using var connection = await Db.OpenAsync(None);
        var found = (await ClinicStore.FindAsync(connection, clinic.Id))!;
        var defaults = (await ClinicStore.FindAsync(connection, plain.Id))!;

        Assert.False(found.ReadinessRequired);
        Assert.Equal((2.5m, 150, 100, 92, false), (found.Limits.MinFastingHours, found.Limits.MaxSystolic, found.Limits.MaxDiastolic, found.Limits.MinSpo2, found.Limits.RideHomeRequired));
        Assert.True(defaults.ReadinessRequired);
        Assert.Equal(ReadinessLimits.Default.MaxSystolic, defaults.Limits.MaxSystolic);
    }

    [SkippableFact]
    public async Task A_sessions_infusion_record_is_written_then_rewritten_and_read_with_the_session()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var session = At(clinic, patient, chair, 10);
        await BookAsync(clinic, session);
        var at = Now.InZone(clinic.Zone).ToOffsetDateTime();
        var vitals = new VitalsBody { Systolic = 128, Diastolic = 82, HeartRate = 74, Spo2 = 98 };
        var by = new RecordedBy(Guid.CreateVersion7(), null);
        var readiness = new ReadinessBody(6.5m, true, null, vitals, 70.45m, "negative", true, [], at, by);
        var infusion = new InfusionBody(0.5m, 70.45m, 35.2m, at, null, by);

        await SaveAsync(InfusionRecord.None with { Readiness = readiness });
        await SaveAsync(new InfusionRecord(readiness, infusion, null));

        await using var connection = await Db.OpenAsync(None);
        var row = (await SessionStore.FindAsync(connection, clinic.Id, session.Id))!;
        var day = await SessionStore.OnDateAsync(connection, clinic.Id, new LocalDate(2027, 5, 3), null, null, new LocalDateTime(1, 1, 1, 0, 0), Guid.Empty, 10);

        Assert.Equal(70.45m, row.Record().Readiness!.WeightKg);
        Assert.Equal(35.2m, row.Record().Infusion!.TotalDoseMg);
        Assert.Null(row.Record().Discharge);
        Assert.Equal(by, row.Record().Infusion!.StartedBy);
        Assert.Equal(at, row.ToResponse().Infusion!.StartedAt);
        Assert.Equal(35.2m, Assert.Single(day).ToResponse().Infusion!.TotalDoseMg);

        Task SaveAsync(InfusionRecord record) => Db.WriteAsync(async (c, t) =>
        {
            await InfusionStore.SaveAsync(c, t, clinic.Id, patient, session.Id, record, Now);
            return 0;
        }, None);
    }

    [SkippableFact]
    public async Task An_overlapping_session_on_a_chair_is_refused_by_the_database()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        await BookAsync(clinic, At(clinic, patient, chair, 10));

        var late = At(clinic, await NewPatientAsync(clinic.Id), chair, 11, 15);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => BookAsync(clinic, late));

        Assert.Contains("chair", refused.Message);
    }

    [SkippableFact]
    public async Task A_patient_in_two_chairs_at_once_is_refused_and_nothing_is_left_behind()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var other = Guid.CreateVersion7();
        await Db.WriteAsync((c, t) => ChairStore.InsertAsync(c, t, clinic.Id, new ChairResponse(other, "Other"), Now), None);
        await BookAsync(clinic, At(clinic, patient, chair, 10));
        var second = At(clinic, patient, other, 10, 30);

        await Assert.ThrowsAsync<ConflictException>(() => BookAsync(clinic, second));

        await using var connection = await Db.OpenAsync(None);
        Assert.Null(await SessionStore.FindAsync(connection, clinic.Id, second.Id));
    }

    [SkippableFact]
    public async Task The_next_grid_start_after_cleaning_fits_on_one_chair()
    {
        var (clinic, chair, patient) = await NewClinicAsync();

        await BookAsync(clinic, At(clinic, patient, chair, 10), At(clinic, await NewPatientAsync(clinic.Id), chair, 11, 30));

        await using var connection = await Db.OpenAsync(None);
        var occupancy = await SessionStore.OccupancyAsync(connection, clinic, new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 3), Now);
        Assert.Equal(2, occupancy.OnChair(chair, new LocalDate(2027, 5, 3)).Count());
    }

    [SkippableFact]
    public async Task The_starts_per_slot_limit_is_held_by_the_database()
    {
        var (clinic, chair, patient) = await NewClinicAsync(maxStartsPerSlot: 1);
        var other = Guid.CreateVersion7();
        await Db.WriteAsync((c, t) => ChairStore.InsertAsync(c, t, clinic.Id, new ChairResponse(other, "Other"), Now), None);
        await BookAsync(clinic, At(clinic, patient, chair, 10));

        var together = At(clinic, await NewPatientAsync(clinic.Id), other, 10);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => BookAsync(clinic, together));

        Assert.Contains("starts", refused.Message);
    }

    [SkippableFact]
    public async Task Cancelling_releases_the_chair_and_the_patient()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var first = At(clinic, patient, chair, 10);
        await BookAsync(clinic, first);

        await Db.WriteAsync((c, t) => SessionStore.SetStatusAsync(c, t, first, SessionStatus.Cancelled, "Unwell", Now), None);
        await BookAsync(clinic, At(clinic, patient, chair, 10));

        await using var connection = await Db.OpenAsync(None);
        var cancelled = await SessionStore.FindAsync(connection, clinic.Id, first.Id);
        Assert.Equal("Cancelled", cancelled!.Status);
        Assert.Equal("Unwell", cancelled.CancelReason);
        Assert.Equal(2, cancelled.Version);
    }

    [SkippableFact]
    public async Task Upcoming_sessions_page_by_start_and_leave_out_the_past_and_the_cancelled()
    {
        var (clinic, chair, patient) = await NewClinicAsync();
        var sessions = new[] { 8, 10, 12, 14 }.Select(h => At(clinic, patient, chair, h)).ToArray();
        await BookAsync(clinic, sessions);
        await Db.WriteAsync((c, t) => SessionStore.SetStatusAsync(c, t, sessions[1], SessionStatus.Cancelled, null, Now), None);

        await using var connection = await Db.OpenAsync(None);
        var now = sessions[0].End.ToInstant();
        var first = await SessionStore.UpcomingAsync(connection, clinic.Id, patient, now, Instant.MinValue, Guid.Empty, 1);
        var rest = await SessionStore.UpcomingAsync(connection, clinic.Id, patient, now, first[0].StartUtc, first[0].Id, 10);

        Assert.Equal(sessions[2].Id, Assert.Single(first).Id);
        Assert.Equal([sessions[3].Id], rest.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task A_plan_round_trips_and_a_stale_version_does_not_update_it()
    {
        var (clinic, _, patient) = await NewClinicAsync();
        var planned = PlanningRule.Plan(clinic.Calendar, Protocol.Default, new LocalDate(2027, 1, 11));
        var plan = new TreatmentPlan(Guid.CreateVersion7(), patient, Protocol.Default, new LocalDate(2027, 1, 11), new LocalTime(10, 0), planned.Sessions);
        await Db.WriteAsync(async (c, t) =>
        {
            await PlanStore.InsertAsync(c, t, clinic.Id, plan, PlanClinical.None, Now);
            return 0;
        }, None);

        var bumped = await Db.WriteAsync((c, t) => PlanStore.UpdateAsync(c, t, plan with { Status = PlanStatus.Active }, 1, Now), None);
        var stale = await Db.WriteAsync((c, t) => PlanStore.UpdateAsync(c, t, plan with { Status = PlanStatus.Discontinued }, 1, Now), None);

        await using var connection = await Db.OpenAsync(None);
        var found = await PlanStore.FindAsync(connection, clinic.Id, plan.Id);
        Assert.Equal(2, bumped);
        Assert.Null(stale);
        Assert.Equal(PlanStatus.Active, found!.Plan.Status);
        Assert.Equal(planned.Sessions.Select(s => s.Date), found.Plan.Sessions.Select(s => s.Date));
        Assert.Equal(plan.Protocol, found.Plan.Protocol);
        var listed = await PlanStore.ListAsync(connection, clinic.Id, patient, PlanStatus.Active, Guid.Empty, 10);
        Assert.Equal(plan.Id, Assert.Single(listed).Plan.Id);
    }
}

public sealed class SqliteSchedulingStoreTests(SqliteFixture fixture)
    : SchedulingStoreTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SqlServerSchedulingStoreTests(SqlServerFixture fixture)
    : SchedulingStoreTests(fixture), IClassFixture<SqlServerFixture>;
