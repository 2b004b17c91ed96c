using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Infusions;
using KetamineScheduling.Api.Nursing;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Api.Waitlist;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Clinical;
using KetamineScheduling.Domain.Nursing;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>Routes for clinics and their calendars.</summary>
internal static class ClinicsApi
{
    public static RouteGroupBuilder MapClinics(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics").WithTags("Clinics").Audited("clinic");
        group.WithETags();

        group.MapPost("/", CreateClinic)
            .Describe("CreateClinic", "Create a clinic with its time zone, opening hours and closed dates")
            .AllowRoles(Roles.PlatformAdmin);
        group.MapGet("/", ListClinics)
            .Describe("ListClinics", "List clinics")
            .AllowRoles(Roles.PlatformAdmin);
        group.MapGet("/{clinicId:guid}", GetClinic)
            .Describe("GetClinic", "Get a clinic and its calendar")
            .AllowRoles([Roles.PlatformAdmin, .. Roles.StaffAndClinician]);
        group.MapPatch("/{clinicId:guid}", UpdateClinic)
            .Describe("UpdateClinic", "Change a clinic's name, time zone, opening hours or settings; lists booked sessions new hours leave outside")
            .AllowRoles(Roles.PlatformAdmin, Roles.ClinicAdmin)
            .OffersFreedTime();
        group.MapPost("/{clinicId:guid}/closed-dates", AddClosedDate)
            .Describe("AddClosedDate", "Close the clinic on a date; lists the sessions still booked that day")
            .AllowRoles(Roles.ClinicAdmin);
        group.MapDelete("/{clinicId:guid}/closed-dates/{date}", RemoveClosedDate)
            .Describe("RemoveClosedDate", "Open the clinic again on a closed date")
            .AllowRoles(Roles.ClinicAdmin)
            .OffersFreedTime();
        return group;
    }

    private static async Task<Results<Created<ClinicResponse>, ValidationProblem>> CreateClinic(
        CreateClinicRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = ValidateNursing(ValidateThresholds(Validate(request, out var zone), request.CourseThresholds), request.Nursing);
        if (!validation.IsValid || zone is null)
        {
            return validation.Problem();
        }

        var clinic = new Clinic(
            Guid.CreateVersion7(), request.Name.Trim(), zone, request.OpeningHours, request.ClosedDates.Distinct().Order().ToList(),
            request.SlotMinutes, request.TurnoverMinutes, request.ObservationMinutes, request.MaxStartsPerSlot, request.PatientsMayCancel, 1, request.CheckInOpensMinutes, EventTitle(request.CalendarEventTitle), request.IntakeRequired,
            request.ReadinessRequired, InfusionWire.Merge(request.ReadinessLimits, ReadinessLimits.Default),
            request.WaitlistOfferMinutes, request.CourseThresholds, Staffing(request.Nursing, NurseStaffing.Off));
        var now = clock.GetCurrentInstant();
        await db.WriteAsync(async (connection, transaction) =>
        {
            await ClinicStore.InsertAsync(connection, transaction, clinic, now);
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinic.Id, "clinic.created", "clinic", clinic.Id, null, clinic.Version, now));
            return clinic;
        }, cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinic.Id}", clinic.ToResponse());
    }

    private static async Task<Results<Ok<Page<ClinicResponse>>, ValidationProblem>> ListClinics(
        Database db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var ids = await ClinicStore.ListIdsAsync(connection, after, take + 1);
        var clinics = new List<Clinic>();
        foreach (var id in ids)
        {
            clinics.Add((await ClinicStore.FindAsync(connection, id))!);
        }

        return TypedResults.Ok(Cursor.Paginate(clinics, take, c => c.Id.ToString(), c => c.ToResponse()));
    }

    private static async Task<Results<Ok<ClinicResponse>, NotFoundProblem>> GetClinic(Guid clinicId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ClinicStore.FindAsync(connection, clinicId) is { } clinic
            ? TypedResults.Ok(clinic.ToResponse())
            : NotFoundProblem.Of("clinic", clinicId);
    }

    private static async Task<Results<Created<ClosedDateResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> AddClosedDate(
        Guid clinicId, AddClosedDateRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().MaxLength("reason", request.Reason, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<ClosedDateResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            if (await ClinicStore.AddClosedDateAsync(connection, transaction, clinicId, request.Date, request.Reason, now) is not { } booked)
            {
                return ConflictProblem.Of($"The clinic is already closed on {request.Date:uuuu-MM-dd}.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "clinic.updated", "clinic", clinicId, null, clinic.Version + 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/closed-dates/{request.Date:uuuu-MM-dd}", new ClosedDateResponse(request.Date, request.Reason, booked));
        }, cancellationToken);
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> RemoveClosedDate(
        Guid clinicId, string date, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (validation.Date("date", date) is not { } day)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, ValidationProblem, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            if (!await ClinicStore.RemoveClosedDateAsync(connection, transaction, clinicId, day, now))
            {
                return NotFoundProblem.Of("closed date", date);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "clinic.updated", "clinic", clinicId, null, clinic.Version + 1, now));
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    /// <summary>
    /// Changes what the request names and keeps the rest. New hours that leave booked sessions outside them are
    /// refused, listing the sessions, unless <paramref name="force"/> is true; then they are changed and the list
    /// is in the answer, for the clinic to move those sessions. A new time zone is refused while sessions are still
    /// to come. A new slot length or starts-per-slot limit claims the booked time again under the new settings.
    /// </summary>
    private static async Task<Results<Ok<UpdateClinicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>> UpdateClinic(
        Guid clinicId, UpdateClinicRequest request, bool? force, IfMatch ifMatch, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var named = request.Name is null ? new Validation() : new Validation().Required("name", request.Name);
        var validation = ValidateSettings(named, request.Name, request.SlotMinutes, request.TurnoverMinutes, request.ObservationMinutes, request.MaxStartsPerSlot, request.CheckInOpensMinutes).Name("calendarEventTitle", request.CalendarEventTitle, 100);
        validation.Range("waitlistOfferMinutes", request.WaitlistOfferMinutes, 1, WaitlistWindow.MaxOfferMinutes);
        InfusionWire.Check(request.ReadinessLimits, validation);
        ValidateThresholds(validation, request.CourseThresholds);
        ValidateNursing(validation, request.Nursing);
        var zone = validation.TimeZone("timeZone", request.TimeZone);
        if (request.OpeningHours is { } hours)
        {
            ValidateHours(validation, hours);
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Ok<UpdateClinicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, IfMatchProblem>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return NotFoundProblem.Of("clinic", clinicId);
            }

            if (ifMatch.Refusal(clinic.Version) is { } refusal)
            {
                return refusal;
            }

            var changed = Apply(clinic, request, zone);
            var toCome = (await SessionStore.StillToComeAsync(connection, transaction, clinicId, now)).Select(r => r.ToSession()).ToList();
            if (changed.Zone.Id != clinic.Zone.Id && toCome.Count > 0)
            {
                return ConflictProblem.Of(
                    $"The time zone cannot change while {toCome.Count} session(s) are still to come: each was booked at a local time in {clinic.Zone.Id}. Cancel them first, or change the zone once they are over.",
                    new Dictionary<string, object?> { ["rule"] = "time-zone-with-sessions", ["sessions"] = toCome.Select(Affected).ToList() });
            }

            var outside = request.OpeningHours is null
                ? []
                : toCome.Where(s => !changed.Calendar.FitsOpeningHours(s.Start.LocalDateTime, s.Length.ChairTime)).Select(Affected).ToList();
            if (outside.Count > 0 && force != true)
            {
                return ConflictProblem.Of(
                    $"The new opening hours leave {outside.Count} booked session(s) outside them. Move or cancel them first, or send force=true to change the hours and keep the sessions as they are.",
                    new Dictionary<string, object?> { ["rule"] = "sessions-outside-hours", ["sessions"] = outside });
            }

            if (!await ClinicStore.UpdateAsync(connection, transaction, changed, clinic.Version, request.OpeningHours is not null, now))
            {
                throw new ConflictException("The clinic changed while it was being updated; fetch it and try again.");
            }

            var restaff = changed.Staffing != clinic.Staffing;
            if (restaff || changed.SlotMinutes != clinic.SlotMinutes || (changed.MaxStartsPerSlot != clinic.MaxStartsPerSlot && changed.MaxStartsPerSlot is not null))
            {
                var holding = await SessionStore.HoldingAsync(connection, transaction, clinicId, now);
                if (restaff)
                {
                    holding = await Restaffing.RestaffAsync(connection, transaction, changed, holding, now);
                }

                await SessionStore.ReclaimAsync(connection, transaction, changed, holding, now);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "clinic.updated", "clinic", clinicId, null, changed.Version, now));
            return TypedResults.Ok(new UpdateClinicResponse(changed.ToResponse(), outside));
        }, cancellationToken);
    }

    /// <summary>
    /// The clinic with the request's changes, at the next version. A new clinic is built rather than copied, so its
    /// calendar is made from the new hours and settings.
    /// </summary>
    private static Clinic Apply(Clinic clinic, UpdateClinicRequest request, DateTimeZone? zone) => new(
        clinic.Id,
        request.Name?.Trim() ?? clinic.Name,
        zone ?? clinic.Zone,
        request.OpeningHours ?? clinic.OpeningHours,
        clinic.ClosedDates,
        request.SlotMinutes ?? clinic.SlotMinutes,
        request.TurnoverMinutes ?? clinic.TurnoverMinutes,
        request.ObservationMinutes ?? clinic.ObservationMinutes,
        request.MaxStartsPerSlotGiven ? request.MaxStartsPerSlot : clinic.MaxStartsPerSlot,
        request.PatientsMayCancel ?? clinic.PatientsMayCancel,
        clinic.Version + 1,
        request.CheckInOpensMinutes ?? clinic.CheckInOpensMinutes,
        request.CalendarEventTitle is null ? clinic.CalendarEventTitle : EventTitle(request.CalendarEventTitle),
        request.IntakeRequired ?? clinic.IntakeRequired,
        request.ReadinessRequired ?? clinic.ReadinessRequired,
        request.ReadinessLimits is null ? clinic.ReadinessLimits : InfusionWire.Merge(request.ReadinessLimits, clinic.Limits),
        request.WaitlistOfferMinutes ?? clinic.WaitlistOfferMinutes,
        request.CourseThresholds ?? clinic.CourseThresholds,
        Staffing(request.Nursing, clinic.Staffing));

    /// <summary>Nurse staffing as a request sets it over <paramref name="current"/>: each setting left out keeps its value.</summary>
    private static NurseStaffing Staffing(NursingSettings? settings, NurseStaffing current) => settings is null
        ? current
        : new(settings.Enabled ?? current.Enabled, settings.PatientsPerNurse ?? current.PatientsPerNurse, settings.SetupMinutes ?? current.SetupMinutes);

    /// <summary>Checks nurse staffing as a clinic is created or changed with it.</summary>
    private static Validation ValidateNursing(Validation validation, NursingSettings? settings) => settings is null
        ? validation
        : validation.Range("nursing.patientsPerNurse", settings.PatientsPerNurse, NurseStaffing.MinPatientsPerNurse, NurseStaffing.MaxPatientsPerNurse)
            .Range("nursing.setupMinutes", settings.SetupMinutes, 0, NurseStaffing.MaxSetupMinutes);

    /// <summary>Checks course thresholds a clinic sets: each in its range, and a response no smaller than a partial one.</summary>
    private static Validation ValidateThresholds(Validation validation, CourseThresholdSettings? settings)
    {
        if (settings is null)
        {
            return validation;
        }

        validation.Range("courseThresholds.responsePercent", settings.ResponsePercent, 1, 100)
            .Range("courseThresholds.partialResponsePercent", settings.PartialResponsePercent, 1, 100)
            .Range("courseThresholds.remissionMaxTotal", settings.RemissionMaxTotal, 0, 21)
            .Range("courseThresholds.boosterRisePoints", settings.BoosterRisePoints, 1, 80);
        var defaults = Domain.Clinical.CourseThresholds.Default;
        if ((settings.ResponsePercent ?? defaults.ResponsePercent) < (settings.PartialResponsePercent ?? defaults.PartialResponsePercent))
        {
            validation.Add("courseThresholds.responsePercent", "Must be at least partialResponsePercent.");
        }

        return validation;
    }

    /// <summary>A clinic's own title for calendar events; blank means the neutral "Appointment at" and its name.</summary>
    private static string? EventTitle(string? title) => string.IsNullOrWhiteSpace(title) ? null : title.Trim();

    private static AffectedSession Affected(Domain.Sessions.Session session) => new(session.Id, session.ChairId, session.Start.ToOffsetDateTime());

    private static Validation Validate(CreateClinicRequest request, out DateTimeZone? zone)
    {
        var validation = ValidateSettings(new Validation().Required("name", request.Name), request.Name, request.SlotMinutes, request.TurnoverMinutes, request.ObservationMinutes, request.MaxStartsPerSlot, request.CheckInOpensMinutes)
            .Name("calendarEventTitle", request.CalendarEventTitle, 100)
            .Range("waitlistOfferMinutes", request.WaitlistOfferMinutes, 1, WaitlistWindow.MaxOfferMinutes);
        InfusionWire.Check(request.ReadinessLimits, validation);
        zone = validation.TimeZone("timeZone", request.TimeZone);

        if (request.ClosedDates.Count > 1000)
        {
            validation.Add("closedDates", "At most 1000 closed dates.");
        }

        ValidateHours(validation, request.OpeningHours);
        return validation;
    }

    /// <summary>Checks the settings a clinic is created or changed with; a null value is one not given, and is not checked.</summary>
    private static Validation ValidateSettings(Validation validation, string? name, int? slotMinutes, int? turnoverMinutes, int? observationMinutes, int? maxStartsPerSlot, int? checkInOpensMinutes)
    {
        validation
            .Name("name", name, 200)
            .Range("turnoverMinutes", turnoverMinutes, 0, ClinicCalendar.MaxTurnoverMinutes)
            .Range("observationMinutes", observationMinutes, 0, Protocol.MaxObservationMinutes)
            .Range("maxStartsPerSlot", maxStartsPerSlot, 1, 100)
            .Range("checkInOpensMinutes", checkInOpensMinutes, 0, StatusTiming.MaxCheckInOpensMinutes);
        if (slotMinutes is { } slot && !ClinicCalendar.AllowedSlotMinutes.Contains(slot))
        {
            validation.Add("slotMinutes", $"Must be one of {string.Join(", ", ClinicCalendar.AllowedSlotMinutes)}.");
        }

        return validation;
    }

    private static void ValidateHours(Validation validation, IReadOnlyList<OpeningHoursEntry> hours)
    {
        if (hours.Count is 0 or > 70)
        {
            validation.Add("openingHours", "Give from 1 to 70 opening intervals; a weekday with none is closed.");
            return;
        }

        for (var i = 0; i < hours.Count; i++)
        {
            // The serializer lets a null through inside a list; it is the one shape the entry's own checks cannot read.
            if (hours[i] is not { } entry)
            {
                validation.Add($"openingHours[{i}]", "Must be an opening interval: a JSON object with day, opens and closes.");
                continue;
            }

            if (entry.Day == IsoDayOfWeek.None)
            {
                validation.Add($"openingHours[{i}].day", "Must be a weekday, Monday to Sunday.");
            }

            if (entry.Closes <= entry.Opens)
            {
                validation.Add($"openingHours[{i}].closes", $"Must be after opens ({entry.Opens:HH:mm}).");
            }
        }

        foreach (var day in hours.Where(h => h is not null && h.Closes > h.Opens).GroupBy(h => h.Day))
        {
            var sorted = day.OrderBy(h => h.Opens).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                if (sorted[i].Opens < sorted[i - 1].Closes)
                {
                    validation.Add("openingHours", $"Intervals on {day.Key} overlap ({sorted[i - 1].Opens:HH:mm}-{sorted[i - 1].Closes:HH:mm} and {sorted[i].Opens:HH:mm}-{sorted[i].Closes:HH:mm}).");
                }
            }
        }
    }
}
