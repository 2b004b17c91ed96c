using System.Data.Common;
using System.Security.Claims;
using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Sessions;

/// <summary>What the front desk and a patient's app read: one session, a day view, a patient's upcoming sessions and free chair starts.</summary>
internal static partial class SessionsApi
{
    private static async Task<Results<Ok<SessionResponse>, NotFoundProblem>> GetSession(
        Guid clinicId, Guid sessionId, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await SessionStore.FindAsync(connection, clinicId, sessionId) is { } row && Caller.From(user).MaySee(row.PatientId)
            ? TypedResults.Ok(row.ToResponse())
            : NotFoundProblem.Of("session", sessionId);
    }

    private static async Task<Results<Ok<Page<SessionResponse>>, ValidationProblem, NotFoundProblem>> ListSessionsOnDate(
        Guid clinicId, string? date, Guid? chairId, SessionStatus? status, string? cursor, int? limit, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var day = validation.Date("date", date);
        var take = validation.Limit(limit);
        var (afterStart, afterId) = (new LocalDateTime(1, 1, 1, 0, 0), Guid.Empty);
        if (Cursor.Decode(cursor) is not { } key || (key.Length > 0 && !TryReadKey(key, LocalDateTimePattern.ExtendedIso, out afterStart, out afterId)))
        {
            validation.Add("cursor", "Is not a cursor this API returned.");
        }

        if (!validation.IsValid || day is not { } onDate)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (chairId is { } chair && await ChairStore.FindAsync(connection, clinicId, chair) is null)
        {
            return NotFoundProblem.Of("chair", chair);
        }

        var rows = await SessionStore.OnDateAsync(connection, clinicId, onDate, chairId, status, afterStart, afterId, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, r => Key(LocalDateTimePattern.ExtendedIso.Format(r.LocalStart), r.Id), r => r.ToResponse()));
    }

    /// <summary>
    /// The first page, the one apps ask for again and again, comes from <see cref="UpcomingCache"/> while it is
    /// still the answer; later pages are read each time.
    /// </summary>
    internal static async Task<Results<SerializedOk<Page<SessionResponse>>, ValidationProblem, NotFoundProblem>> ListUpcoming(
        Guid clinicId, Guid patientId, string? cursor, int? limit, HttpContext context, Database db, IClock clock, UpcomingCache cache, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var (afterStart, afterId) = (Instant.MinValue, Guid.Empty);
        if (Cursor.Decode(cursor) is not { } key || (key.Length > 0 && !TryReadKey(key, InstantPattern.ExtendedIso, out afterStart, out afterId)))
        {
            validation.Add("cursor", "Is not a cursor this API returned.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (!Caller.From(context.User).MaySee(patientId))
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var now = clock.GetCurrentInstant();
        if (string.IsNullOrEmpty(cursor) && take == Cursor.DefaultLimit)
        {
            return await cache.GetOrLoadAsync(clinicId, patientId, now, ReadPageAsync, cancellationToken) is { } first ? first : NotFoundProblem.Of("patient", patientId);
        }

        return await ReadPageAsync() is { } page ? cache.Write(page) : NotFoundProblem.Of("patient", patientId);

        async Task<Page<SessionResponse>?> ReadPageAsync()
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            if (await PatientStore.FindAsync(connection, clinicId, patientId) is null)
            {
                return null;
            }

            var rows = await SessionStore.UpcomingAsync(connection, clinicId, patientId, now, afterStart, afterId, take + 1);
            return Cursor.Paginate(rows, take, r => Key(InstantPattern.ExtendedIso.Format(r.StartUtc), r.Id), r => r.ToResponse());
        }
    }

    private static async Task<Results<Ok<AvailabilityResponse>, ValidationProblem, NotFoundProblem>> GetAvailability(
        Guid clinicId, string? date, int? infusionMinutes, int? observationMinutes, Guid? chairId, Database db, Placement placement, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Required("infusionMinutes", infusionMinutes)
            .Range("infusionMinutes", infusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
            .Range("observationMinutes", observationMinutes, 0, Protocol.MaxObservationMinutes);
        var day = validation.Date("date", date);
        if (!validation.IsValid || day is not { } onDate || infusionMinutes is not { } infusion)
        {
            return validation.Problem();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (await ClinicStore.FindAsync(connection, clinicId) is not { } clinic)
        {
            return NotFoundProblem.Of("clinic", clinicId);
        }

        var chairs = (await ChairStore.InServiceAsync(connection, clinicId)).Where(c => chairId is null || c.Id == chairId).ToList();
        if (chairId is { } chair && chairs.Count == 0 && await ChairStore.FindAsync(connection, clinicId, chair) is null)
        {
            return NotFoundProblem.Of("chair", chair);
        }

        var length = new SessionLength(infusion, observationMinutes ?? clinic.ObservationMinutes, clinic.TurnoverMinutes);
        var (_, free) = await FreeStartsAsync(connection, clinic, chairs, new DateInterval(onDate, onDate), length, placement, clock.GetCurrentInstant());
        return TypedResults.Ok(new AvailabilityResponse(onDate, clinic.Zone.Id, infusion, length.ObservationMinutes, free, null));
    }

    /// <summary>
    /// The availability engine, for <c>/availability</c> and FHIR's Slots and $find alike: the chair time booked, or
    /// held by a reservation live at <paramref name="now"/>, on <paramref name="dates"/> (local dates, both ends
    /// included), and each free start there on
    /// <paramref name="chairs"/> for a session of <paramref name="length"/>, by date, then time, then chair.
    /// </summary>
    internal static async Task<(ChairOccupancy Occupancy, IReadOnlyList<FreeStart> Free)> FreeStartsAsync(
        DbConnection connection, Clinic clinic, IReadOnlyList<Chair> chairs, DateInterval dates, SessionLength length, Placement placement, Instant now)
    {
        var occupancy = await SessionStore.OccupancyAsync(connection, clinic, dates.Start, dates.End, now);
        var free = dates.SelectMany(date => placement.FreeStarts(clinic.Calendar, date, chairs, occupancy, length))
            .Select(f =>
            {
                var start = clinic.Calendar.AtClinicTime(f.Start);
                return new FreeStart(f.ChairId, start.ToOffsetDateTime(), start.Plus(length.WithPatient).ToOffsetDateTime());
            })
            .ToList();
        return (occupancy, free);
    }
}
