using System.Data.Common;
using KetamineScheduling.Api.Chairs;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace KetamineScheduling.Api.Waitlist;

/// <summary>
/// Offers free chair time to the waitlist: each waiting entry, in queue order, gets the first free start inside its
/// window, held for it as a reservation for the clinic's <c>waitlistOfferMinutes</c> (15 unless it says otherwise).
/// </summary>
/// <remarks>
/// It runs after every change that frees chair time or adds to it (a cancellation, a no-show, a move, a reopened date, a
/// released reservation; a new chair or one back in service, longer hours or a higher start limit, a nurse's new
/// shift) and whenever the waitlist is read, which is where a lapsed offer is seen and passes on. An offer is a
/// reservation, so two instances offering together can never hold the same time twice: the claims refuse the second.
/// An entry moves from Waiting to Offered only once, so it is never offered twice at once.
/// </remarks>
internal static partial class WaitlistOffers
{
    /// <summary>
    /// Offers what it can in its own transaction, after the change that freed the time has committed. An offer lost to
    /// another instance's at the same moment is left for the next run: the time it wanted is held either way.
    /// </summary>
    public static async Task OfferFreedTimeAsync(IServiceProvider services, Guid clinicId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<Database>();
        var placement = services.GetRequiredService<Placement>();
        var now = services.GetRequiredService<IClock>().GetCurrentInstant();
        try
        {
            await db.WriteAsync((connection, transaction) => OfferAsync(db, connection, transaction, placement, clinicId, now), cancellationToken);
        }
        catch (ConflictException)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WaitlistOffers));
            LogOfferLost(logger, clinicId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A waitlist offer in clinic {ClinicId} lost its time to another instance; the next run offers again.")]
    private static partial void LogOfferLost(ILogger logger, Guid clinicId);

    /// <summary>
    /// Inside <paramref name="transaction"/>: marks lapsed reservations expired, brings offered entries up to date, then
    /// offers each waiting entry the first free start in its window. Returns the offers made, as (entry, reservation).
    /// </summary>
    public static async Task<IReadOnlyList<(Guid EntryId, Guid ReservationId)>> OfferAsync(
        Database db, DbConnection connection, DbTransaction transaction, Placement placement, Guid clinicId, Instant now)
    {
        await ReservationStore.ExpireAsync(connection, transaction, clinicId, now);
        await WaitlistStore.SettleAsync(connection, transaction, clinicId, now);
        var waiting = await WaitlistStore.QueueAsync(connection, clinicId, [WaitlistStatus.Waiting], transaction);
        if (waiting.Count == 0 || await ClinicStore.FindAsync(connection, clinicId, transaction) is not { } clinic)
        {
            return [];
        }

        var today = now.InZone(clinic.Zone).Date;
        var windows = waiting.Select(entry => (Entry: entry, Window: entry.ToWindow())).Where(w => w.Window.LatestDate >= today).ToList();
        if (windows.Count == 0)
        {
            return [];
        }

        var chairs = await ChairStore.InServiceAsync(connection, clinicId, transaction);
        var from = windows.Min(w => w.Window.EarliestDate) is var earliest && earliest > today ? earliest : today;
        var occupancy = await SessionStore.OccupancyAsync(connection, clinic, from, windows.Max(w => w.Window.LatestDate), now, transaction);
        var offers = new List<(Guid, Guid)>();
        var changes = new List<Change>();
        foreach (var (entry, window) in windows)
        {
            var plan = entry.PlanId is { } planId ? await PlanStore.FindAsync(connection, clinicId, planId, transaction) : null;
            var length = new SessionLength(entry.InfusionMinutes, plan?.Plan.Protocol.ObservationMinutes ?? clinic.ObservationMinutes, clinic.TurnoverMinutes);
            if (FirstFit(clinic, placement, chairs, occupancy, length, entry, window, today) is not { } session)
            {
                continue;
            }

            // As stored, with its nurse: the next entry's fit must not count that nurse as free.
            var reservation = await ReservationStore.InsertAsync(db, connection, transaction, clinic, Reservation.Hold(session, now, clinic.WaitlistOfferMinutes * 60));
            if (!await WaitlistStore.MoveAsync(connection, transaction, entry.Id, WaitlistStatus.Waiting, WaitlistStatus.Offered, reservation.Id, now))
            {
                throw new ConflictException("A waitlist entry was offered time by another instance meanwhile.");
            }

            occupancy = occupancy.With(reservation.ToBooking());
            offers.Add((entry.Id, reservation.Id));
            changes.Add(new Change(clinicId, "reservation.created", "reservation", reservation.Id, entry.PatientId, 1, now));
            changes.Add(new Change(clinicId, "waitlist.offered", "waitlist", entry.Id, entry.PatientId, entry.Version + 1, now));
        }

        if (changes.Count > 0)
        {
            // The clock and the queue made these offers, not the request that freed the time.
            await ChangeFeed.AppendUnattributedAsync(connection, transaction, changes);
        }

        return offers;
    }

    /// <summary>The session of the first free start inside the entry's window where its patient is free too, or null.</summary>
    private static Session? FirstFit(
        Clinic clinic, Placement placement, IReadOnlyList<Chair> chairs, ChairOccupancy occupancy, SessionLength length, WaitlistRow entry, WaitlistWindow window, LocalDate today) =>
        window.DatesFrom(today)
            .SelectMany(date => placement.FreeStarts(clinic.Calendar, date, chairs, occupancy, length))
            .Where(free => window.Fits(free.Start))
            .Select(free => new Session(Guid.CreateVersion7(), entry.PatientId, free.ChairId, clinic.Calendar.AtClinicTime(free.Start), length, entry.PlanId))
            .FirstOrDefault(session => occupancy.PatientIsFree(session.ToBooking()));

    /// <summary>
    /// After the route's change commits, offers the time it freed or added to the waitlist: for routes that cancel, mark
    /// a no-show, move sessions, reopen a date or release a reservation, and those that add chairs, hours or nurses.
    /// A refused request frees nothing.
    /// </summary>
    public static RouteHandlerBuilder OffersFreedTime(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var answer = result is INestedHttpResult nested ? nested.Result : result;
            if (answer is not IStatusCodeHttpResult { StatusCode: >= 400 } &&
                Guid.TryParse(context.HttpContext.Request.RouteValues["clinicId"]?.ToString(), out var clinicId))
            {
                await OfferFreedTimeAsync(context.HttpContext.RequestServices, clinicId, context.HttpContext.RequestAborted);
            }

            return result;
        });
}
