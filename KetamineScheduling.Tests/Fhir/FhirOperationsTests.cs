using System.Net;
using System.Text.Json.Nodes;
using KetamineScheduling.Tests.Api;
using NodaTime;

namespace KetamineScheduling.Tests.Fhir;

/// <summary>IHE ITI Scheduling's $hold and $book over reservations: what $find offers, held, then booked or let go.</summary>
[Collection(FhirCollection.Name)]
public sealed class FhirOperationsTests(ApiFactory factory, FhirValidation validation)
{
    [Fact]
    public async Task A_found_offer_is_held_then_booked_as_the_session_of_the_holds_id_and_cancelled()
    {
        var (clinic, patient, chair) = await ArrangeAsync();
        var offer = await FirstOfferAsync(clinic, patient, chair);

        using var holding = await PostAsync(clinic, "$hold", Hold(offer));
        var heldText = await FhirDriver.ReadAsync(holding, HttpStatusCode.OK);
        var held = Entry(heldText);
        Assert.Equal("pending", (string)held["status"]!);
        Assert.NotNull(holding.Content.Headers.Expires);
        var expires = (string)held["extension"]![0]!["valueInstant"]!;
        Assert.Equal(holding.Content.Headers.Expires, DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture));

        // A live hold is never offered, and holding its time again is a conflict.
        Assert.DoesNotContain(await OffersAsync(clinic, patient, chair), o => (string)o["start"]! == (string)offer["start"]!);
        Assert.Equal("conflict", Code(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$hold", Hold(offer), HttpStatusCode.Conflict)));

        var bookedText = await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$book", Hold(held));
        var booked = Entry(bookedText);
        Assert.Equal("booked", (string)booked["status"]!);
        Assert.Equal((string)held["id"]!, (string)booked["id"]!);
        Assert.Equal("booked", (string)FhirDriver.Json(await FhirDriver.GetAsync(clinic.Client, $"/fhir/r4/Appointment/{booked["id"]}"))["status"]!);

        var cancel = booked.DeepClone().AsObject();
        cancel["status"] = "cancelled";
        cancel["cancelationReason"] = new JsonObject { ["text"] = "Changed plans" };
        using (var stale = await PostAsync(clinic, "$book", Hold(cancel), ifMatch: "W/\"2\""))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        using var cancelling = await PostAsync(clinic, "$book", Hold(cancel), ifMatch: "W/\"1\"");
        var cancelledText = await FhirDriver.ReadAsync(cancelling, HttpStatusCode.OK);
        Assert.Equal("Changed plans", (string)Entry(cancelledText)["cancelationReason"]!["text"]!);

        var errors = new[] { heldText, bookedText, cancelledText }.SelectMany(validation.Errors).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task A_proposed_appointment_books_directly_and_its_taken_time_is_a_409()
    {
        var (clinic, patient, chair) = await ArrangeAsync();
        var offer = await FirstOfferAsync(clinic, patient, chair);

        var booked = Entry(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$book", Hold(offer)));
        Assert.Equal("booked", (string)booked["status"]!);
        Assert.Equal(70, (int)booked["minutesDuration"]!);

        Assert.Equal("conflict", Code(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$book", Hold(offer), HttpStatusCode.Conflict)));
        await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$book", new { resourceType = "Parameters", parameter = new[] { new { name = "start", valueDateTime = "2027-03-01T10:00:00Z" } } }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_hold_that_expired_is_gone_when_booked()
    {
        var (clinic, patient, chair) = await ArrangeAsync();
        var held = Entry(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$hold", Hold(await FirstOfferAsync(clinic, patient, chair))));

        factory.Clock.Advance(Duration.FromMinutes(5));

        Assert.Equal("deleted", Code(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$book", Hold(held), HttpStatusCode.Gone)));
    }

    private async Task<(ClinicDriver Clinic, string Patient, string Chair)> ArrangeAsync()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        return (clinic, await clinic.AddPatientAsync(), await clinic.AddChairAsync());
    }

    /// <summary>The proposed Appointments $find offers on a weekday three weeks ahead of the clock, in the morning.</summary>
    private async Task<List<JsonObject>> OffersAsync(ClinicDriver clinic, string patient, string chair)
    {
        var day = factory.Clock.GetCurrentInstant().InUtc().Date.PlusDays(21);
        day = day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? day.PlusDays(2) : day;
        var date = day.ToString("uuuu-MM-dd", null);
        var bundle = FhirDriver.Json(await FhirDriver.PostAsync(clinic.Client, "/fhir/r4/Appointment/$find", FhirDriver.Find($"{date}T08:00:00Z", $"{date}T12:00:00Z", patient, chair)));
        return [.. bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject())];
    }

    private async Task<JsonObject> FirstOfferAsync(ClinicDriver clinic, string patient, string chair) => (await OffersAsync(clinic, patient, chair))[0];

    private static object Hold(JsonObject appointment) => new
    {
        resourceType = "Parameters",
        parameter = new[] { new { name = "appointment-resource", resource = appointment } },
    };

    private static Task<HttpResponseMessage> PostAsync(ClinicDriver clinic, string operation, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/fhir/r4/Appointment/{operation}")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, FhirDriver.MediaType),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return clinic.Client.SendAsync(request);
    }

    private static JsonObject Entry(string bundle) => FhirDriver.Json(bundle)["entry"]![0]!["resource"]!.AsObject();

    private static string Code(string outcome) => (string)FhirDriver.Json(outcome)["issue"]![0]!["code"]!;
}
