using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>A risk-flagged assessment reaches the EHR's webhook at once, as ids and types only.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RiskFlagWebhookTests(IntegrationFactory factory)
{
    [Fact]
    public async Task A_PHQ9_with_item_9_above_0_reaches_a_loopback_webhook_as_assessment_risk_flagged_without_answers()
    {
        var clinic = await new ClinicDriver(factory.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await clinic.PostAsync($"{clinic.Base}/webhooks", new { url = receiver.Url, events = new[] { "assessment.risk-flagged" } }, HttpStatusCode.Created);
        receiver.Secret = (string)webhook["secret"]!;
        var app = clinic.WithKey((await clinic.IssueKeyAsync("patient-app", patient)).Key);

        await app.PostAsync($"{clinic.Base}/patients/{patient}/assessments", new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }, HttpStatusCode.Created);
        var flagged = await app.PostAsync($"{clinic.Base}/patients/{patient}/assessments", new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 2 } }, HttpStatusCode.Created);

        await Eventually.HoldsAsync(() => receiver.Received.Count >= 1, TimeSpan.FromSeconds(20), what: "the risk flag");
        var payload = Assert.Single(receiver.Received).Payload;
        Assert.Equal("assessment.risk-flagged", (string)payload["type"]!);
        Assert.Equal(["clinicId", "resourceType", "resourceId", "version", "eventId"], payload["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal(("assessment", (string)flagged["id"]!), ((string)payload["data"]!["resourceType"]!, (string)payload["data"]!["resourceId"]!));
        Assert.DoesNotContain("answers", payload.ToJsonString(), StringComparison.Ordinal);
    }
}
