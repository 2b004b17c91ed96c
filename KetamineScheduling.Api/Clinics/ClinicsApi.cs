using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Domain.Calendar;
using KetamineScheduling.Domain.Plans;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Clinics;

/// <summary>Routes for clinics and their calendars.</summary>
internal static class ClinicsApi
{
    public static RouteGroupBuilder MapClinics(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics").WithTags("Clinics").Audited("clinic");

        group.MapPost("/", CreateClinic)
            .Describe("CreateClinic", "Create a clinic with its time zone, opening hours and closed dates", StatusCodes.Status400BadRequest)
            .AllowRoles(Roles.PlatformAdmin);
        group.MapGet("/", ListClinics)
            .Describe("ListClinics", "List clinics", StatusCodes.Status400BadRequest)
            .AllowRoles(Roles.PlatformAdmin);
        group.MapGet("/{clinicId:guid}", GetClinic)
            .Describe("GetClinic", "Get a clinic and its calendar", StatusCodes.Status404NotFound)
            .AllowRoles(Roles.PlatformAdmin, Roles.ClinicAdmin, Roles.Integration, Roles.Scheduler);
        group.MapPost("/{clinicId:guid}/closed-dates", AddClosedDate)
            .Describe("AddClosedDate", "Close the clinic on a date; lists the sessions still booked that day", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .AllowRoles(Roles.ClinicAdmin);
        group.MapDelete("/{clinicId:guid}/closed-dates/{date}", RemoveClosedDate)
            .Describe("RemoveClosedDate", "Open the clinic again on a closed date", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .AllowRoles(Roles.ClinicAdmin);
        return group;
    }

    private static async Task<Results<Created<ClinicResponse>, ValidationProblem>> CreateClinic(
        CreateClinicRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = Validate(request, out var zone);
        if (!validation.IsValid || zone is null)
        {
            return validation.Problem();
        }

        var clinic = new Clinic(
            Guid.CreateVersion7(), request.Name.Trim(), zone, request.OpeningHours, request.ClosedDates.Distinct().Order().ToList(),
            request.SlotMinutes, request.TurnoverMinutes, request.ObservationMinutes, request.MaxStartsPerSlot, request.PatientsMayCancel, 1, string.IsNullOrWhiteSpace(request.CalendarEventTitle) ? null : request.CalendarEventTitle.Trim());
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
        var ids = await ClinicStore.ListIdsAsync(db, connection, after, take + 1);
        var clinics = new List<Clinic>();
        foreach (var id in ids)
        {
            clinics.Add((await ClinicStore.FindAsync(connection, id))!);
        }

        return TypedResults.Ok(Cursor.Paginate(clinics, take, c => c.Id.ToString(), c => c.ToResponse()));
    }

    private static async Task<Results<Ok<ClinicResponse>, ProblemHttpResult>> GetClinic(Guid clinicId, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ClinicStore.FindAsync(connection, clinicId) is { } clinic
            ? TypedResults.Ok(clinic.ToResponse())
            : Problems.NotFound("clinic", clinicId);
    }

    private static async Task<Results<Created<ClosedDateResponse>, ValidationProblem, ProblemHttpResult>> AddClosedDate(
        Guid clinicId, AddClosedDateRequest request, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation().MaxLength("reason", request.Reason, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<ClosedDateResponse>, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return Problems.NotFound("clinic", clinicId);
            }

            if (await ClinicStore.AddClosedDateAsync(connection, transaction, clinicId, request.Date, request.Reason, now) is not { } booked)
            {
                return Problems.Conflict($"The clinic is already closed on {request.Date:uuuu-MM-dd}.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "clinic.updated", "clinic", clinicId, null, clinic.Version + 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/closed-dates/{request.Date:uuuu-MM-dd}", new ClosedDateResponse(request.Date, request.Reason, booked));
        }, cancellationToken);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveClosedDate(
        Guid clinicId, string date, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (validation.Date("date", date) is not { } day)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, ValidationProblem, ProblemHttpResult>>(async (connection, transaction) =>
        {
            if (await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
            {
                return Problems.NotFound("clinic", clinicId);
            }

            if (!await ClinicStore.RemoveClosedDateAsync(connection, transaction, clinicId, day, now))
            {
                return Problems.NotFound("closed date", date);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "clinic.updated", "clinic", clinicId, null, clinic.Version + 1, now));
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    private static Validation Validate(CreateClinicRequest request, out DateTimeZone? zone)
    {
        var validation = new Validation()
            .Required("name", request.Name)
            .Name("name", request.Name, 200)
            .Range("turnoverMinutes", request.TurnoverMinutes, 0, ClinicCalendar.MaxTurnoverMinutes)
            .Range("observationMinutes", request.ObservationMinutes, 0, Protocol.MaxObservationMinutes)
            .Range("maxStartsPerSlot", request.MaxStartsPerSlot, 1, 100)
            .Name("calendarEventTitle", request.CalendarEventTitle, 100);
        zone = validation.TimeZone("timeZone", request.TimeZone);
        if (!ClinicCalendar.AllowedSlotMinutes.Contains(request.SlotMinutes))
        {
            validation.Add("slotMinutes", $"Must be one of {string.Join(", ", ClinicCalendar.AllowedSlotMinutes)}.");
        }

        if (request.ClosedDates.Count > 1000)
        {
            validation.Add("closedDates", "At most 1000 closed dates.");
        }

        ValidateHours(validation, request.OpeningHours);
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
