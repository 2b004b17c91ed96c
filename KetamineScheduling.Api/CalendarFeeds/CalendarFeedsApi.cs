using KetamineScheduling.Api.Access;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.CalendarFeeds;

/// <summary>A patient's calendar feed. Its URL is never shown again after it is made.</summary>
/// <param name="Id">The feed's id.</param>
/// <param name="PatientId">The patient whose sessions it shows.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
public sealed record CalendarFeedResponse(Guid Id, Guid PatientId, Instant CreatedAt, Instant? RevokedAt) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

/// <summary>A calendar feed just made, with the secret URL a phone subscribes to.</summary>
/// <param name="Id">The feed's id.</param>
/// <param name="PatientId">The patient whose sessions it shows.</param>
/// <param name="Url">
/// The address to subscribe to, holding the feed's secret token. Shown only in this answer (and its replay to a
/// retry with the same Idempotency-Key): anyone with it can read the patient's appointment times until the feed is
/// revoked. The API keeps only its hash.
/// </param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record CreatedCalendarFeedResponse(Guid Id, Guid PatientId, string Url, Instant CreatedAt) : IPatientScoped
{
    IEnumerable<Guid> IPatientScoped.Patients => [PatientId];
}

/// <summary>Routes for a patient's iCalendar feeds: making, listing and revoking them, and the feed a phone fetches.</summary>
internal static class CalendarFeedsApi
{
    public static RouteGroupBuilder MapCalendarFeeds(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/clinics/{clinicId:guid}/patients/{patientId:guid}/calendar-feeds").WithTags("Calendar feeds")
            .Audited("calendar-feed", readsPatientData: true, idRouteValue: "feedId")
            .AllowRoles(Roles.StaffAndPatientApp);

        group.MapPost("/", CreateCalendarFeed)
            .KeepsReplayEncrypted()
            .Describe("CreateCalendarFeed", "Make a private iCalendar feed of the patient's sessions; returns its secret URL once");
        group.MapGet("/", ListCalendarFeeds)
            .Describe("ListCalendarFeeds", "List the patient's calendar feeds, without their URLs");
        group.MapDelete("/{feedId:guid}", RevokeCalendarFeed)
            .Describe("RevokeCalendarFeed", "Revoke a calendar feed: its URL answers 404 from now on");

        // A phone's calendar sends no Authorization header: the token in the path is the credential. Calendar apps
        // and link checkers ask with HEAD too, for the ETag without the body; the contract lists only the GET.
        routes.MapMethods($"/v1/calendar-feeds/{{{CalendarFeedToken.RouteValue}}}.ics", [HttpMethods.Get, HttpMethods.Head], FetchCalendarFeed)
            .WithTags("Calendar feeds")
            .Audited("calendar-feed", readsPatientData: true, idRouteValue: "feedId")
            .AllowAnonymous()
            .Describe("FetchCalendarFeed", "The patient's sessions from 30 days ago to a year ahead as iCalendar, for a phone to subscribe to; needs no key; HEAD answers the same headers");
        return group;
    }

    private static async Task<Results<Created<CreatedCalendarFeedResponse>, NotFoundProblem>> CreateCalendarFeed(
        Guid clinicId, Guid patientId, HttpContext context, Database db, IClock clock, CancellationToken cancellationToken)
    {
        if (!Caller.From(context.User).MaySee(patientId))
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var id = Guid.CreateVersion7();
        var token = CalendarFeedToken.New();
        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<Created<CreatedCalendarFeedResponse>, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (!await CalendarFeedStore.InsertAsync(connection, transaction, clinicId, patientId, id, CalendarFeedToken.Hash(token), now))
            {
                return NotFoundProblem.Of("patient", patientId);
            }

            await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "calendar-feed.created", "calendar-feed", id, patientId, 1, now));
            return TypedResults.Created(
                $"/v1/clinics/{clinicId}/patients/{patientId}/calendar-feeds/{id}",
                new CreatedCalendarFeedResponse(id, patientId, CalendarFeedToken.UrlFor(context.Request, token), now));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<Page<CalendarFeedResponse>>, ValidationProblem, NotFoundProblem>> ListCalendarFeeds(
        Guid clinicId, Guid patientId, string? cursor, int? limit, HttpContext context, Database db, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.CursorKey("cursor", cursor, Guid.Empty);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (!Caller.From(context.User).MaySee(patientId))
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        if (await Patients.PatientStore.FindAsync(connection, clinicId, patientId) is null)
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var rows = await CalendarFeedStore.ListAsync(connection, clinicId, patientId, after, take + 1);
        return TypedResults.Ok(Cursor.Paginate(rows, take, f => f.Id.ToString(), f => f.ToResponse()));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> RevokeCalendarFeed(
        Guid clinicId, Guid patientId, Guid feedId, HttpContext context, Database db, IClock clock, CancellationToken cancellationToken)
    {
        if (!Caller.From(context.User).MaySee(patientId))
        {
            return NotFoundProblem.Of("patient", patientId);
        }

        var now = clock.GetCurrentInstant();
        return await db.WriteAsync<Results<NoContent, NotFoundProblem>>(async (connection, transaction) =>
        {
            if (await CalendarFeedStore.RevokeAsync(connection, transaction, clinicId, patientId, feedId, now))
            {
                await ChangeFeed.AppendAsync(connection, transaction, new Change(clinicId, "calendar-feed.revoked", "calendar-feed", feedId, patientId, 2, now));
                return TypedResults.NoContent();
            }

            // Revoking twice is not an error: a retried DELETE finds the feed already revoked.
            return await CalendarFeedStore.ExistsAsync(connection, transaction, clinicId, patientId, feedId) ? TypedResults.NoContent() : NotFoundProblem.Of("calendar feed", feedId);
        }, cancellationToken);
    }

    private static async Task<Results<CalendarFile, NotFoundProblem>> FetchCalendarFeed(
        string feedToken, HttpContext context, Database db, IClock clock, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await CalendarFeedStore.FindByHashAsync(connection, CalendarFeedToken.Hash(feedToken)) is not { RevokedAt: null } feed ||
            await ClinicStore.FindAsync(connection, feed.ClinicId) is not { } clinic)
        {
            // Never the token in the answer: it is the credential.
            return NotFoundProblem.Detailed("There is no calendar feed at this address; it may have been revoked.");
        }

        var now = clock.GetCurrentInstant();
        var sessions = await CalendarFeedStore.SessionsAsync(connection, feed.ClinicId, feed.PatientId, now - CalendarFile.History, now + CalendarFile.Horizon);
        var earliest = (now - CalendarFile.History).InZone(clinic.Zone).Date.PlusDays(-1);
        return CalendarFile.For(feed, clinic, sessions, earliest, context.Request.GetTypedHeaders().IfNoneMatch);
    }
}
