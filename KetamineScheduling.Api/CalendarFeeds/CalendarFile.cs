using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KetamineScheduling.Api.Audit;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Duration = NodaTime.Duration;

namespace KetamineScheduling.Api.CalendarFeeds;

/// <summary>
/// A patient's sessions as an iCalendar (RFC 5545) subscription, written by Ical.Net: one VEVENT per session, its
/// times local to the clinic with a VTIMEZONE that defines them, so a phone shows the clinic's wall-clock time in
/// any zone and across daylight-saving changes.
/// </summary>
/// <remarks>
/// The text depends only on the sessions and the clinic, never on when it is fetched: DTSTAMP is the session's last
/// change, as LAST-MODIFIED is. So its hash is a strong ETag, and a phone polling an unchanged feed gets a 304.
/// </remarks>
internal sealed class CalendarFile : IResult, IPatientScoped, IAuditSubject, IEndpointMetadataProvider
{
    public const string MediaType = "text/calendar";

    /// <summary>Sessions this long ago still show, so a patient can look back at the last month.</summary>
    public static readonly Duration History = Duration.FromDays(30);

    /// <summary>Sessions up to this far ahead show: a whole course of maintenance.</summary>
    public static readonly Duration Horizon = Duration.FromDays(365);

    private const string ProductId = "-//Ketamine Scheduling//Calendar feed//EN";

    private readonly CalendarFeedRow feed;

    private CalendarFile(CalendarFeedRow feed, string text, string etag, bool notModified)
    {
        this.feed = feed;
        Text = text;
        ETag = etag;
        NotModified = notModified;
    }

    /// <summary>The iCalendar text.</summary>
    public string Text { get; }

    /// <summary>The strong entity tag of <see cref="Text"/>, quoted.</summary>
    public string ETag { get; }

    /// <summary>Whether the caller already holds this text (If-None-Match) and gets a 304.</summary>
    public bool NotModified { get; }

    IEnumerable<Guid> IPatientScoped.Patients => [feed.PatientId];

    Guid IAuditSubject.ClinicId => feed.ClinicId;

    Guid IAuditSubject.ResourceId => feed.Id;

    /// <summary>The feed's calendar of <paramref name="sessions"/>, or a 304 when <paramref name="ifNoneMatch"/> already names it.</summary>
    /// <param name="feed">The feed fetched: whose events the fetch is audited under.</param>
    /// <param name="clinic">The clinic the sessions are at.</param>
    /// <param name="sessions">The patient's sessions in the feed's window.</param>
    /// <param name="earliest">The earliest local date the sessions may fall on; the VTIMEZONE covers every date from it on.</param>
    /// <param name="ifNoneMatch">The request's If-None-Match tags.</param>
    public static CalendarFile For(CalendarFeedRow feed, Clinic clinic, IReadOnlyList<FeedSession> sessions, LocalDate earliest, IList<EntityTagHeaderValue> ifNoneMatch)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        ArgumentNullException.ThrowIfNull(ifNoneMatch);
        var text = Write(clinic, sessions, earliest);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}\"");
        var notModified = ifNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any));
        return new CalendarFile(feed, text, etag.ToString(), notModified);
    }

    /// <summary>
    /// The calendar text. The event title is the clinic's <see cref="Clinic.CalendarEventTitle"/>, else
    /// "Appointment at" and its name: it shows on a lock screen, so it never names a diagnosis or a treatment.
    /// </summary>
    public static string Write(Clinic clinic, IReadOnlyList<FeedSession> sessions, LocalDate earliest)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        ArgumentNullException.ThrowIfNull(sessions);
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", clinic.Name);
        calendar.AddProperty("X-WR-TIMEZONE", clinic.Zone.Id);

        // A TZID needs its VTIMEZONE in the same file (RFC 5545 §3.2.19): the clinic's, and any other a session was booked in.
        var since = earliest.AtMidnight().ToDateTimeUnspecified();
        foreach (var zone in sessions.Select(s => s.TimeZone).Prepend(clinic.Zone.Id).Distinct(StringComparer.Ordinal))
        {
            calendar.AddTimeZone(zone, since, includeHistoricalData: false);
        }

        var title = clinic.CalendarEventTitle ?? $"Appointment at {clinic.Name}";
        foreach (var session in sessions)
        {
            var zone = DateTimeZoneProviders.Tzdb[session.TimeZone];
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{session.Id}@ketamine-scheduling",
                Summary = title,
                DtStart = Local(session.StartUtc, zone),
                DtEnd = Local(session.EndUtc, zone),

                // The first version is 1, and SEQUENCE starts at 0; every change raises both.
                Sequence = session.Version - 1,
                Status = Enum.Parse<SessionStatus>(session.Status) is SessionStatus.Cancelled or SessionStatus.NoShow ? EventStatus.Cancelled : EventStatus.Confirmed,
                DtStamp = Utc(session.UpdatedAt),
                LastModified = Utc(session.UpdatedAt),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime Local(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone).LocalDateTime;
        return new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone.Id);
    }

    private static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc(), CalDateTime.UtcTzId);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.Headers.ETag = ETag;

        // A phone asks again every so often; it must check with us rather than show a revoked or stale calendar.
        response.Headers.CacheControl = "private, no-cache";
        if (NotModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"{MediaType}; charset=utf-8";
        await response.WriteAsync(Text, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }
}
