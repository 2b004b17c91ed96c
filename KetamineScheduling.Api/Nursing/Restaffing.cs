using System.Data.Common;
using Dapper;
using KetamineScheduling.Api.Clinics;
using KetamineScheduling.Api.Events;
using KetamineScheduling.Api.Http;
using KetamineScheduling.Api.Reservations;
using KetamineScheduling.Api.Sessions;
using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Nursing;

/// <summary>
/// What a change to a clinic's nurse staffing does to the time already held: every session and live reservation
/// still holding a chair gets a nurse under the new rule (or loses it, when staffing is turned off), before the
/// claims are made again under the new settings.
/// </summary>
internal static class Restaffing
{
    private const string UpdateSessionNurse = """
        UPDATE sessions SET nurse_id = @NurseId, version = version + 1, updated_at = @Now WHERE id = @Id
        """;

    private const string UpdateReservationNurse = """
        UPDATE reservations SET nurse_id = @NurseId, version = version + 1, updated_at = @Now WHERE id = @Id
        """;

    /// <summary>
    /// Gives <paramref name="holding"/> (the sessions whose claims still matter) and the clinic's live reservations
    /// their nurses under <paramref name="clinic"/>'s staffing as changed, saving each that changed with
    /// <c>session.nurse_assigned</c>; returns the sessions with their nurses. Throws <see cref="ConflictException"/> listing
    /// the sessions no nurse on shift can take, which rolls the clinic's change back.
    /// </summary>
    public static async Task<IReadOnlyList<Session>> RestaffAsync(DbConnection connection, DbTransaction transaction, Clinic clinic, IReadOnlyList<Session> holding, Instant now)
    {
        var reservations = await ReservationStore.HeldAsync(connection, transaction, clinic.Id, now);
        var all = holding.Concat(reservations.Select(r => r.Session)).ToList();
        if (all.Count == 0)
        {
            return holding;
        }

        var nurses = new Dictionary<Guid, Guid>();
        if (clinic.Staffing.Enabled)
        {
            var roster = await ShiftStore.RosterAsync(connection, clinic, all.Min(s => s.Start.Date), all.Max(s => s.Start.Date), transaction);
            var (assigned, unstaffed) = roster.Assign(all.Select(s => s.ToBooking()));
            if (unstaffed.Count > 0)
            {
                var refused = all.Where(s => unstaffed.Any(u => u.SessionId == s.Id))
                    .Select(s => new AffectedSession(s.Id, s.ChairId, s.Start.ToOffsetDateTime())).ToList();
                throw new ConflictException(
                    $"{refused.Count} session(s) or reservation(s) still to come would have no nurse on shift with room for them under the new staffing. Put nurses on shift, or move them, first.",
                    new Dictionary<string, object?> { ["rule"] = "nurse-capacity", ["sessions"] = refused });
            }

            nurses = assigned.ToDictionary();
        }

        Guid? NurseOf(Session s) => nurses.TryGetValue(s.Id, out var nurse) ? nurse : null;
        var changedSessions = holding.Where(s => s.NurseId != NurseOf(s)).ToList();
        await connection.ExecuteAsync(UpdateSessionNurse, changedSessions.Select(s => new { s.Id, NurseId = NurseOf(s), Now = now }), transaction);
        await connection.ExecuteAsync(
            UpdateReservationNurse,
            reservations.Where(r => r.Session.NurseId != NurseOf(r.Session)).Select(r => new { r.Id, NurseId = NurseOf(r.Session), Now = now }),
            transaction);

        if (changedSessions.Count == 0)
        {
            return holding;
        }

        var changes = new List<Change>();
        foreach (var session in changedSessions)
        {
            var version = (await SessionStore.FindAsync(connection, clinic.Id, session.Id, transaction))!.Version;
            changes.Add(new Change(clinic.Id, "session.nurse_assigned", "session", session.Id, session.PatientId, version, now));
        }

        await ChangeFeed.AppendAsync(connection, transaction, changes);
        return holding.Select(s => s with { NurseId = NurseOf(s) }).ToList();
    }
}
