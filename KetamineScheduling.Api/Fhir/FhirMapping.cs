using Hl7.Fhir.Model;
using KetamineScheduling.Api.Plans;
using KetamineScheduling.Domain.Plans;
using KetamineScheduling.Domain.Sessions;
using NodaTime;
using static KetamineScheduling.Domain.Clinical.WireCodes;
using Instant = NodaTime.Instant;
using Instrument = KetamineScheduling.Domain.Clinical.Instrument;
using Period = Hl7.Fhir.Model.Period;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// Our records as FHIR R4 resources: a patient as a Patient, a chair as a Location and its Schedule, free and
/// booked chair time as Slots, a session as an Appointment, a treatment plan as a CarePlan, a member of staff as a
/// Practitioner, an assessment as an Observation. Pure: what it maps is
/// all it reads.
/// </summary>
internal static class FhirMapping
{
    /// <summary>The system of a patient's MRN, our <c>externalId</c>: <c>identifier=urn:ketamine-scheduling:mrn|MRN-0001</c>.</summary>
    public const string MrnSystem = "urn:ketamine-scheduling:mrn";

    /// <summary>The system of an identifier that is a URI, as a session's <c>urn:uuid:</c> id is (FHIR R4 §2.24.0.1).</summary>
    public const string UriSystem = "urn:ietf:rfc:3986";

    /// <summary>The system of a US National Provider Identifier (FHIR R4 terminology: <c>http://hl7.org/fhir/sid/us-npi</c>).</summary>
    public const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";

    public static Meta Meta(int version, Instant lastUpdated) => new() { VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture), LastUpdated = lastUpdated.ToDateTimeOffset() };

    public static ResourceReference Reference(string type, Guid id) => new($"{type}/{id}");

    public static Patient Patient(PatientRow patient) => new()
    {
        Id = patient.Id.ToString(),
        Meta = Meta(patient.Version, patient.LastUpdated),
        Identifier = [new Identifier(MrnSystem, patient.ExternalId) { Use = Identifier.IdentifierUse.Usual }],
        Active = true,
        Name = [new HumanName { Text = patient.DisplayName }],
    };

    /// <summary>A member of staff, a prescriber or a nurse: their name, their NPI when they have one, active while they work here.</summary>
    public static Practitioner Practitioner(PractitionerRow staff) => new()
    {
        Id = staff.Id.ToString(),
        Meta = Meta(staff.Version, staff.LastUpdated),
        Identifier = staff.Npi is { } npi ? [new Identifier(NpiSystem, npi) { Use = Identifier.IdentifierUse.Official }] : [],
        Active = staff.Active,
        Name = [new HumanName { Text = staff.Name }],
    };

    /// <summary>The system of our own instruments' codes, for those LOINC has no total score code we use: <c>pcl5</c> and <c>pain-nrs</c>.</summary>
    public const string InstrumentSystem = "urn:ketamine-scheduling:instrument";

    /// <summary>LOINC.</summary>
    public const string LoincSystem = "http://loinc.org";

    /// <summary>FHIR's Observation category code system (its <c>survey</c> code).</summary>
    public const string ObservationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>What an assessment's total is: the LOINC total score for the PHQ-9 and GAD-7, our own code otherwise.</summary>
    public static Coding CodingOf(Instrument instrument) => instrument switch
    {
        Instrument.Phq9 => new Coding(LoincSystem, "44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
        Instrument.Gad7 => new Coding(LoincSystem, "70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
        Instrument.Pcl5 => new Coding(InstrumentSystem, instrument.Code(), "PTSD Checklist for DSM-5 (PCL-5) total score"),
        Instrument.PainNrs => new Coding(InstrumentSystem, instrument.Code(), "Pain numeric rating scale"),
        _ => throw new ArgumentOutOfRangeException(nameof(instrument), instrument, "An instrument with no code."),
    };

    /// <summary>The instrument a token names: <c>system|code</c>, <c>|code</c> or a bare code; null for a code we do not use.</summary>
    public static Instrument? InstrumentOf(string token)
    {
        var (system, code) = token.Split('|') switch
        {
            [var bare] => ((string?)null, bare),
            [var s, var c] => (s, c),
            _ => (null, ""),
        };
        return Enum.GetValues<Instrument>().Select(i => (Instrument?)i)
            .FirstOrDefault(i => CodingOf(i!.Value) is var coding && coding.Code == code && (string.IsNullOrEmpty(system) || system == coding.System));
    }

    /// <summary>
    /// An assessment as a survey Observation: its total as valueInteger, taken at the clinic's local time with the
    /// clinic's offset, <c>final</c> (version 1) until retracted, then <c>entered-in-error</c> (version 2).
    /// </summary>
    public static Observation Observation(ObservationRow assessment, DateTimeZone zone)
    {
        var coding = CodingOf(assessment.InstrumentCode);
        return new()
        {
            Id = assessment.Id.ToString(),
            Meta = Meta(assessment.RetractedAt is null ? 1 : 2, assessment.RetractedAt ?? assessment.RecordedAt),
            Status = assessment.RetractedAt is null ? ObservationStatus.Final : ObservationStatus.EnteredInError,
            Category = [new CodeableConcept(ObservationCategorySystem, "survey", "Survey", null)],
            Code = new CodeableConcept { Coding = [coding], Text = coding.Display },
            Subject = Reference("Patient", assessment.PatientId),
            Effective = new FhirDateTime(assessment.TakenAt.InZoneLeniently(zone).ToDateTimeOffset()),
            Issued = assessment.RecordedAt.ToDateTimeOffset(),
            Value = new Integer(assessment.Total),
        };
    }

    /// <summary>A chair as the place a session happens: one physical chair (mode instance), active while in service.</summary>
    public static Location Location(ChairRow chair) => new()
    {
        Id = chair.Id.ToString(),
        Meta = Meta(chair.Version, chair.LastUpdated),
        Status = chair.InService ? Hl7.Fhir.Model.Location.LocationStatus.Active : Hl7.Fhir.Model.Location.LocationStatus.Inactive,
        Name = chair.Name,
        Description = "Infusion chair",
        Mode = Hl7.Fhir.Model.Location.LocationMode.Instance,
    };

    /// <summary>The chair's schedule: one per chair, with the chair's id, the chair's Location its actor.</summary>
    public static Schedule Schedule(ChairRow chair) => new()
    {
        Id = chair.Id.ToString(),
        Meta = Meta(chair.Version, chair.LastUpdated),
        Active = chair.InService,
        Actor = [Reference("Location", chair.Id)],
    };

    /// <summary>
    /// Chair time on a chair's schedule: <paramref name="busy"/> for a booking's chair time (cleaning included, since
    /// nobody else may start then), free for a start where a session of the searched length fits.
    /// </summary>
    public static Slot Slot(string id, Guid chairId, bool busy, OffsetDateTime start, OffsetDateTime end) => new()
    {
        Id = id,
        Schedule = Reference("Schedule", chairId),
        Status = busy ? Hl7.Fhir.Model.Slot.SlotStatus.Busy : Hl7.Fhir.Model.Slot.SlotStatus.Free,
        Start = start.ToDateTimeOffset(),
        End = end.ToDateTimeOffset(),
    };

    /// <summary>A session's status in FHIR's words: a session in infusion is <c>arrived</c> (the patient is there, the visit not yet over). A no-show is <c>noshow</c> (R4's app-4 names it, but a no-show carries no cancelation reason).</summary>
    public static Hl7.Fhir.Model.Appointment.AppointmentStatus StatusOf(SessionStatus status) => status switch
    {
        SessionStatus.Booked => Hl7.Fhir.Model.Appointment.AppointmentStatus.Booked,
        SessionStatus.CheckedIn => Hl7.Fhir.Model.Appointment.AppointmentStatus.CheckedIn,
        SessionStatus.InInfusion => Hl7.Fhir.Model.Appointment.AppointmentStatus.Arrived,
        SessionStatus.Completed => Hl7.Fhir.Model.Appointment.AppointmentStatus.Fulfilled,
        SessionStatus.Cancelled => Hl7.Fhir.Model.Appointment.AppointmentStatus.Cancelled,
        SessionStatus.NoShow => Hl7.Fhir.Model.Appointment.AppointmentStatus.Noshow,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A session status FHIR has no word for."),
    };

    /// <summary>
    /// A session as an Appointment: from the infusion's start to the end of observation (cleaning left out), with the
    /// clinic's offset; the patient, the chair's Location and, where one is assigned, the nurse's Practitioner as
    /// participants; its plan as supporting information. A cancelled one says why; a no-show carries no cancelation reason.
    /// </summary>
    public static Appointment Appointment(AppointmentRow session)
    {
        var status = session.SessionStatus;
        var appointment = Build(
            session.Id, session.PatientId, session.ChairId, session.PlanId, session.Start.ToOffsetDateTime(), session.End.ToOffsetDateTime(),
            StatusOf(status), ParticipationStatus.Accepted);
        if (session.NurseId is { } nurse)
        {
            appointment.Participant.Add(Participant(Reference("Practitioner", nurse), ParticipationStatus.Accepted));
        }

        appointment.Meta = Meta(session.Version, session.LastUpdated);
        appointment.CancelationReason = status == SessionStatus.Cancelled ? new CodeableConcept { Text = session.CancelReason ?? "Cancelled" } : null;
        return appointment;
    }

    /// <summary>The extension on a held Appointment that says when the hold ends: a valueInstant, as the <c>Expires</c> header says too.</summary>
    public const string HoldExpiresExtension = "urn:ketamine-scheduling:fhir:hold-expires";

    /// <summary>
    /// A reservation ($hold) as a <c>pending</c> Appointment with the reservation's id, which <c>$book</c> books as
    /// the session of that id; <see cref="HoldExpiresExtension"/> says until when the time is held.
    /// </summary>
    public static Appointment Held(Reservation reservation, int version, Instant lastUpdated)
    {
        var session = reservation.Session;
        var appointment = Build(
            reservation.Id, session.PatientId, session.ChairId, session.PlanId, session.Start.ToOffsetDateTime(), session.End.ToOffsetDateTime(),
            Hl7.Fhir.Model.Appointment.AppointmentStatus.Pending, ParticipationStatus.Tentative);
        appointment.Meta = Meta(version, lastUpdated);
        appointment.Extension.Add(new Extension(HoldExpiresExtension, new Hl7.Fhir.Model.Instant(reservation.ExpiresAt.ToDateTimeOffset())));
        return appointment;
    }

    /// <summary>
    /// A free chair start offered by $find: a <c>proposed</c> Appointment, on the chair's Location, for the patient
    /// when the search named one. Nothing is kept: its id (see <see cref="FreeStartId"/>) only tells offers apart.
    /// </summary>
    public static Appointment Proposed(string id, Guid chairId, Guid? patientId, OffsetDateTime start, OffsetDateTime end)
    {
        var appointment = Build(null, patientId, chairId, null, start, end, Hl7.Fhir.Model.Appointment.AppointmentStatus.Proposed, ParticipationStatus.NeedsAction);
        appointment.Id = id;
        return appointment;
    }

    private static Appointment Build(
        Guid? id, Guid? patientId, Guid chairId, Guid? planId, OffsetDateTime start, OffsetDateTime end, Hl7.Fhir.Model.Appointment.AppointmentStatus status, ParticipationStatus participation) => new()
    {
        Id = id?.ToString(),
        Identifier = id is { } known ? [new Identifier(UriSystem, $"urn:uuid:{known}")] : [],
        Status = status,
        Start = start.ToDateTimeOffset(),
        End = end.ToDateTimeOffset(),
        MinutesDuration = (int)(end - start).TotalMinutes,
        SupportingInformation = planId is { } plan ? [Reference("CarePlan", plan)] : [],
        Participant =
        [
            .. patientId is { } patient ? [Participant(Reference("Patient", patient), participation)] : Array.Empty<Hl7.Fhir.Model.Appointment.ParticipantComponent>(),
            Participant(Reference("Location", chairId), participation),
        ],
    };

    /// <summary>The id of a free chair start, as a free Slot and a proposed Appointment carry it: the chair and the start's minute.</summary>
    public static string FreeStartId(Guid chairId, OffsetDateTime start) => $"{chairId:N}-{start.ToInstant().ToUnixTimeSeconds() / 60}";

    private static Hl7.Fhir.Model.Appointment.ParticipantComponent Participant(ResourceReference actor, ParticipationStatus status) => new() { Actor = actor, Status = status };

    /// <summary>A plan's status in FHIR's request-status words: discontinued is <c>revoked</c>.</summary>
    public static RequestStatus StatusOf(PlanStatus status) => status switch
    {
        PlanStatus.Draft => RequestStatus.Draft,
        PlanStatus.Active => RequestStatus.Active,
        PlanStatus.OnHold => RequestStatus.OnHold,
        PlanStatus.Completed => RequestStatus.Completed,
        PlanStatus.Discontinued => RequestStatus.Revoked,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A plan status FHIR has no word for."),
    };

    /// <summary>
    /// A treatment plan as a CarePlan (intent <c>plan</c>). Each planned session that has a session is an
    /// <c>activity.reference</c> to its Appointment (the one holding its chair, if any); each still unbooked is an
    /// <c>activity.detail</c> with its planned date, never both (rule cpl-3). The indication, when the plan has
    /// one, is a contained Condition under <c>addresses</c>.
    /// </summary>
    public static CarePlan CarePlan(StoredPlan stored, Instant lastUpdated, IEnumerable<AppointmentRow> sessions)
    {
        var plan = stored.Plan;
        var all = sessions.ToList();
        var bySequence = all.Where(s => s.Sequence is not null).GroupBy(s => s.Sequence!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.SessionStatus.HoldsChair()).First());
        var activities = plan.Sessions.Select(p => bySequence.TryGetValue(p.Sequence, out var session)
                ? new Hl7.Fhir.Model.CarePlan.ActivityComponent { Reference = Reference("Appointment", session.Id) }
                : new Hl7.Fhir.Model.CarePlan.ActivityComponent { Detail = Planned(p, plan.Status) })
            .Concat(all.Where(s => s.Sequence is null).Select(s => new Hl7.Fhir.Model.CarePlan.ActivityComponent { Reference = Reference("Appointment", s.Id) }))
            .ToList();
        var carePlan = new CarePlan
        {
            Id = plan.Id.ToString(),
            Meta = Meta(stored.Version, lastUpdated),
            Status = StatusOf(plan.Status),
            Intent = Hl7.Fhir.Model.CarePlan.CarePlanIntent.Plan,
            Title = "Ketamine infusion treatment plan",
            Subject = Reference("Patient", plan.PatientId),
            Period = new Period { Start = plan.StartDate.ToString("uuuu-MM-dd", null) },
            Activity = activities,
        };
        if (stored.Clinical.Indication is { } indication)
        {
            carePlan.Contained = [Condition(indication, plan.PatientId)];
            carePlan.Addresses = [new ResourceReference($"#{IndicationId}")];
        }

        return carePlan;
    }

    /// <summary>The contained Condition's local id, which <c>addresses</c> refers to as <c>#indication</c>.</summary>
    private const string IndicationId = "indication";

    /// <summary>The system of ICD-10-CM codes (FHIR R4 terminology: <c>http://hl7.org/fhir/sid/icd-10-cm</c>).</summary>
    public const string Icd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>The plan's indication: the condition in plain words, coded in ICD-10-CM when the plan gives a code; its note as a Condition note.</summary>
    private static Condition Condition(Indication indication, Guid patientId) => new()
    {
        Id = IndicationId,
        Subject = Reference("Patient", patientId),
        Code = new CodeableConcept
        {
            Text = Words(indication.Condition),
            Coding = indication.Icd10 is { } code ? [new Coding(Icd10CmSystem, code)] : [],
        },
        Note = indication.Note is { } note ? [new Annotation { Text = new Markdown(note) }] : [],
    };

    /// <summary>A condition in plain words, as the CodeableConcept's text.</summary>
    private static string Words(KetamineScheduling.Domain.Clinical.Condition condition) => condition switch
    {
        KetamineScheduling.Domain.Clinical.Condition.MajorDepressiveDisorder => "Major depressive disorder",
        KetamineScheduling.Domain.Clinical.Condition.TreatmentResistantDepression => "Treatment-resistant depression",
        KetamineScheduling.Domain.Clinical.Condition.BipolarDepression => "Bipolar depression",
        KetamineScheduling.Domain.Clinical.Condition.GeneralizedAnxietyDisorder => "Generalized anxiety disorder",
        KetamineScheduling.Domain.Clinical.Condition.Ptsd => "Post-traumatic stress disorder",
        KetamineScheduling.Domain.Clinical.Condition.Ocd => "Obsessive-compulsive disorder",
        KetamineScheduling.Domain.Clinical.Condition.ChronicPain => "Chronic pain",
        KetamineScheduling.Domain.Clinical.Condition.SuicidalIdeation => "Suicidal ideation",
        _ => "Other condition",
    };

    private static Hl7.Fhir.Model.CarePlan.DetailComponent Planned(PlannedSession planned, PlanStatus plan)
    {
        var date = planned.Date.ToString("uuuu-MM-dd", null);
        return new Hl7.Fhir.Model.CarePlan.DetailComponent
        {
            Kind = Hl7.Fhir.Model.CarePlan.CarePlanActivityKind.Appointment,
            Status = plan switch
            {
                PlanStatus.Discontinued => Hl7.Fhir.Model.CarePlan.CarePlanActivityStatus.Cancelled,
                PlanStatus.OnHold => Hl7.Fhir.Model.CarePlan.CarePlanActivityStatus.OnHold,
                _ => Hl7.Fhir.Model.CarePlan.CarePlanActivityStatus.NotStarted,
            },
            Description = $"{planned.Phase} session {planned.Sequence}, not yet booked",
            Scheduled = new Period { Start = date, End = date },
        };
    }
}
