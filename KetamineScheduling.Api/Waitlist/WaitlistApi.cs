using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Patients;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Waitlist;

/// <summary>Routes for the waitlist: patients waiting for freed chair time, the offers they get, and accepting one.</summary>
internal static class WaitlistApi
{
    public static RouteGroupBuilder MapWaitlist(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/waitlist").WithTags("Waitlist").Audited("waitlist", readsPatientData: true, idRouteValue: "entryId");
        group.WithETags();

        group.MapPost("/", AddEntry)
            .Describe("AddWaitlistEntry", "Put a patient on the waitlist for chair time within a window")
            .AllowRoles(Roles.Staff);
        group.MapGet("/", ListEntries)
            .Describe("ListWaitlist", "The entries still waiting or offered, in queue order; lapsed offers pass on first")
            .AllowRoles(Roles.Staff);
        group.MapDelete("/{entryId:guid}", RemoveEntry)
            .Describe("RemoveWaitlistEntry", "Take an entry off the waitlist, releasing any offer it holds")
            .AllowRoles(Roles.Staff)
            .OffersFreedTime();
        group.MapPost("/{entryId:guid}/accept", AcceptOffer)
            .Describe("AcceptWaitlistOffer", "Book the session an entry is offered")
            .AllowRoles(Roles.Staff);
        return group;
    }

    private static async Task<Results<Created<WaitlistEntryResponse>, ValidationProblem, NotFoundProblem>> AddEntry(
        Guid clinicId, CreateWaitlistEntryRequest request, HttpContext context, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Range("infusionMinutes", request.InfusionMinutes, Protocol.MinInfusionMinutes, Protocol.MaxInfusionMinutes)
            .Text("note", request.Note, 500);
        if (request.LatestDate < request.EarliestDate)
        {
            validation.Add("latestDate", "Must be on or after earliestDate.");
        }
        else if (Period.DaysBetween(request.EarliestDate, request.LatestDate) >= WaitlistWindow.MaxDays)
        {
            validation.Add("latestDate", $"Must be at most {WaitlistWindow.MaxDays} days from earliestDate, both included.");
        }

        if (request.EarliestTime is { } from && request.LatestTime is { } to && to < from)
        {
            validation.Add("latestTime", "Must be at or after earliestTime.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var now = clock.GetCurrentInstant();
        var entry = new WaitlistRow
        {
            Id = Guid.CreateVersion7(),
            ClinicId = clinicId,
            PatientId = request.PatientId,
            PlanId = request.PlanId,
            EarliestDate = request.EarliestDate,
            LatestDate = request.LatestDate,
            DaysOfWeek = request.DaysOfWeek is { Count: > 0 } days ? string.Join(',', days.Distinct().Order()) : null,
            EarliestTime = request.EarliestTime,
            LatestTime = request.LatestTime,
            InfusionMinutes = request.InfusionMinutes,
            Note = request.Note,
            Status = nameof(WaitlistStatus.Waiting),
            QueuedAt = now,
            Version = 1,
            CreatedAt = now,
        };
        var refused = await db.WriteAsync<NotFoundProblem?>(async (connection, transaction) =>
        {
            if (await PatientStore.FindAsync(connection, clinicId, request.PatientId, transaction) is null)
            {
                return NotFoundProblem.Reference("patientId", "patient", request.PatientId);
            }

            if (request.PlanId is { } planId && (await PlanStore.FindAsync(connection, clinicId, planId, transaction))?.Plan.PatientId != request.PatientId)
            {
                return NotFoundProblem.Reference("planId", "treatment plan for this patient", planId);
            }

            await WaitlistStore.InsertAsync(connection, transaction, entry);
            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "waitlist.created", "waitlist", entry.Id, entry.PatientId, 1, now));
            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        // Time already free inside the window is offered at once, as freed time would be.
        await WaitlistOffers.OfferFreedTimeAsync(context.RequestServices, clinicId, cancellationToken);
        await using var read = await db.OpenAsync(cancellationToken);
        return TypedResults.Created($"/v1/clinics/{clinicId}/waitlist/{entry.Id}", (await WaitlistStore.FindAsync(read, clinicId, entry.Id))!.ToResponse());
    }

    private static async Task<Results<Ok<Page<WaitlistEntryResponse>>, NotFoundProblem>> ListEntries(
        Guid clinicId, HttpContext context, Database db, CancellationToken cancellationToken)
    {
        await WaitlistOffers.OfferFreedTimeAsync(context.RequestServices, clinicId, cancellationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await Clinics.ClinicStore.FindAsync(connection, clinicId) is null)
        {
            return NotFoundProblem.Of("clinic", clinicId);
        }

        var entries = await WaitlistStore.QueueAsync(connection, clinicId, [WaitlistStatus.Waiting, WaitlistStatus.Offered]);
        return TypedResults.Ok(new Page<WaitlistEntryResponse>([.. entries.Select(e => e.ToResponse())], null));
    }

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> RemoveEntry(
        Guid clinicId, Guid entryId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, NotFoundProblem, ConflictProblem>>(async (connection, transaction) =>
        {
            if (await WaitlistStore.FindAsync(connection, clinicId, entryId, transaction) is not { } entry)
            {
                return NotFoundProblem.Of("waitlist entry", entryId);
            }

            var status = Enum.Parse<WaitlistStatus>(entry.Status);
            if (status == WaitlistStatus.Booked)
            {
                return ConflictProblem.Of($"The waitlist entry '{entryId}' is booked; cancel its session instead.", new Dictionary<string, object?> { ["sessionId"] = entry.ReservationId });
            }

            if (status == WaitlistStatus.Removed)
            {
                return TypedResults.NoContent();
            }

            if (status == WaitlistStatus.Offered &&
                await ReservationBooking.ReleaseAsync(connection, transaction, clinicId, entry.ReservationId!.Value, now) is { Result: not NoContent } refused)
            {
                return refused;
            }

            if (!await WaitlistStore.MoveAsync(connection, transaction, entryId, status, WaitlistStatus.Removed, entry.ReservationId, now))
            {
                throw new ConflictException("The waitlist entry changed while it was being removed; try again.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "waitlist.removed", "waitlist", entryId, entry.PatientId, entry.Version + 1, now));
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    private static async Task<Results<Created<SessionResponse>, NotFoundProblem, ConflictProblem, GoneProblem, UnprocessableProblem>> AcceptOffer(
        Guid clinicId, Guid entryId, Database db, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<SessionResponse>, NotFoundProblem, ConflictProblem, GoneProblem, UnprocessableProblem>>(async (connection, transaction) =>
        {
            if (await WaitlistStore.FindAsync(connection, clinicId, entryId, transaction) is not { } entry)
            {
                return NotFoundProblem.Of("waitlist entry", entryId);
            }

            if (entry.Status != nameof(WaitlistStatus.Offered) || entry.ReservationId is not { } reservationId)
            {
                return ConflictProblem.Of($"The waitlist entry '{entryId}' has no open offer to accept; it is {entry.Status}.");
            }

            var (session, refused) = await ReservationBooking.ConvertAsync(db, connection, transaction, clinicId, reservationId, now);
            if (session is null)
            {
                return refused switch
                {
                    { NotFound: { } notFound } => notFound,
                    { Conflict: { } conflict } => conflict,
                    { Gone: { } gone } => gone,
                    _ => refused!.Unprocessable!,
                };
            }

            if (!await WaitlistStore.MoveAsync(connection, transaction, entryId, WaitlistStatus.Offered, WaitlistStatus.Booked, reservationId, now))
            {
                throw new ConflictException("The waitlist entry changed while its offer was being booked; try again.");
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "waitlist.booked", "waitlist", entryId, entry.PatientId, entry.Version + 1, now));
            return TypedResults.Created($"/v1/clinics/{clinicId}/sessions/{session.Id}", session.ToResponse(version: 1));
        }, cancellationToken);
    }
}
