using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace KetamineScheduling.Api.Fhir;

/// <summary>
/// The CapabilityStatement at <c>/fhir/r4/metadata</c>: exactly the resources, interactions, search parameters and
/// operations <see cref="FhirApi"/> serves, so that a client needs no other documentation.
/// </summary>
internal static class FhirCapability
{
    /// <summary>When this statement last changed: bump it with what the API serves.</summary>
    private const string Published = "2026-12-02";

    private const string OperationDefinitions = "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/";

    public static CapabilityStatement Statement(string baseUrl) => new()
    {
        Url = $"{baseUrl}/metadata",
        Name = "KetamineSchedulingFhir",
        Title = "KetamineScheduling FHIR R4 API",
        Status = PublicationStatus.Active,
        Date = Published,
        Publisher = "KetamineScheduling",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "KetamineScheduling" },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "Ketamine infusion scheduling: patients, chairs, sessions and treatment plans", Url = baseUrl },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Send an API key as 'Authorization: Bearer <key>'. A key sees only its clinic; a patient-app key only its patient. Pages hold _count entries (default 50, at most 200) and link to the next.",
                Security = new CapabilityStatement.SecurityComponent { Description = "Bearer API keys, the same as the JSON API's; platform-admin keys read no patient data (403)." },
                Resource =
                [
                    Resource(ResourceType.Patient, [Param("_id", SearchParamType.Token, "The patient's id"), Param("identifier", SearchParamType.Token, $"The MRN, as {FhirMapping.MrnSystem}|<MRN> or <MRN>")]),
                    Resource(ResourceType.Location, []),
                    Resource(ResourceType.Schedule, [Param("actor", SearchParamType.Reference, "The chair's Location: Location/<id>")]),
                    Resource(ResourceType.Slot, [
                        Param("schedule", SearchParamType.Reference, "The chair's Schedule: Schedule/<id>"),
                        Param("start", SearchParamType.Date, $"Required: start=ge<date>&start=lt<date>, at most {FhirApi.MaxSlotDays} days apart"),
                        Param("status", SearchParamType.Token, "busy or free"),
                    ], read: false),
                    Resource(ResourceType.Appointment, [
                        Param("patient", SearchParamType.Reference, "Patient/<id>"),
                        Param("date", SearchParamType.Date, "The start: eq (a day in the clinic's zone, or a moment), ge, gt, le, lt"),
                        Param("status", SearchParamType.Token, "booked, checked-in, arrived (in infusion), fulfilled, cancelled or noshow; comma-separated for any"),
                        Param("location", SearchParamType.Reference, "The chair: Location/<id>"),
                    ],
                    operations:
                    [
                        Operation("find", "ITI-115: free chair starts as proposed Appointments; a live hold is never offered"),
                        Operation("hold", "ITI-116: holds a proposed Appointment's time for five minutes, answered as a pending Appointment with an Expires header"),
                        Operation("book", "ITI-117: books a held or proposed Appointment (409 when the time is taken); status cancelled cancels the session"),
                    ]),
                    Resource(ResourceType.Practitioner, [
                        Param("_id", SearchParamType.Token, "The staff member's id"),
                        Param("identifier", SearchParamType.Token, $"The NPI, as {FhirMapping.NpiSystem}|<NPI> or <NPI>"),
                        Param("active", SearchParamType.Token, "true (still works here) or false"),
                    ]),
                    Resource(ResourceType.Observation, [
                        Param("patient", SearchParamType.Reference, "Patient/<id>"),
                        Param("code", SearchParamType.Token, $"The instrument: {FhirMapping.LoincSystem}|44261-6 (PHQ-9), {FhirMapping.LoincSystem}|70274-6 (GAD-7), {FhirMapping.InstrumentSystem}|pcl5 or {FhirMapping.InstrumentSystem}|pain-nrs; comma-separated for any"),
                        Param("date", SearchParamType.Date, "When it was taken: eq (a day in the clinic's zone, or a moment), ge, gt, le, lt"),
                    ]),
                    Resource(ResourceType.CarePlan, [
                        Param("patient", SearchParamType.Reference, "Patient/<id>"),
                        Param("status", SearchParamType.Token, "draft, active, on-hold, completed or revoked"),
                    ]),
                ],
            },
        ],
    };

    private static CapabilityStatement.ResourceComponent Resource(
        ResourceType type, CapabilityStatement.SearchParamComponent[] parameters, bool read = true, CapabilityStatement.OperationComponent[]? operations = null) => new()
    {
        Type = type.GetLiteral(),
        Interaction = [.. (read ? new[] { CapabilityStatement.TypeRestfulInteraction.Read } : []).Append(CapabilityStatement.TypeRestfulInteraction.SearchType)
            .Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i })],
        Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
        ReadHistory = false,
        SearchParam = [.. parameters],
        Operation = [.. operations ?? []],
    };

    private static CapabilityStatement.OperationComponent Operation(string name, string documentation) =>
        new() { Name = name, Definition = OperationDefinitions + "appointment-" + name, Documentation = documentation };

    private static CapabilityStatement.SearchParamComponent Param(string name, SearchParamType type, string documentation) =>
        new() { Name = name, Type = type, Documentation = documentation };
}
