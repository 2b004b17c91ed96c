using System.Net;
using KetamineScheduling.Tests.Api;

namespace KetamineScheduling.Tests.Integration;

/// <summary>Plans and sessions carry their version as an ETag, and a change sent with a stale one changes nothing.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OptimisticConcurrencyTests(IntegrationFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task Getting_a_session_sends_its_version_as_a_strong_ETag()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);

        using var response = await clinic.Client.GetAsync(session);

        var read = await ClinicDriver.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal($"\"{(int)read["version"]!}\"", response.Headers.ETag?.ToString());
        Assert.False(response.Headers.ETag!.IsWeak);
    }

    [Fact]
    public async Task A_change_answers_with_the_new_version_as_its_ETag()
    {
        var (clinic, session) = await Requests.StartedSessionAsync(factory.Clock, client);

        using var response = await clinic.PostAsync($"{session}/check-in", null, ("If-Match", "\"1\""));

        var changed = await ClinicDriver.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(2, (int)changed["version"]!);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Cancelling_with_a_stale_ETag_is_a_412_with_the_current_version_and_changes_nothing()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);
        await clinic.PostAsync($"{session}/reschedule", new { start = "2027-05-04T10:00" }, HttpStatusCode.OK);

        using var response = await clinic.PostAsync($"{session}/cancel", new { reason = "Unwell" }, ("If-Match", "\"1\""));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (int)problem["currentVersion"]!);
        Assert.Equal("\"2\"", (string)problem["etag"]!);
        var after = await clinic.GetAsync(session);
        Assert.Equal("Booked", (string)after["status"]!);
        Assert.Equal(2, (int)after["version"]!);
        var feed = await clinic.GetAsync($"{clinic.Base}/events");
        Assert.DoesNotContain(feed["items"]!.AsArray(), e => (string)e!["type"]! == "session.cancelled");
    }

    [Fact]
    public async Task Rescheduling_with_a_stale_ETag_leaves_the_session_where_it_was()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);
        await clinic.PostAsync($"{session}/reschedule", new { start = "2027-05-04T10:00" }, HttpStatusCode.OK);

        using var response = await clinic.PostAsync($"{session}/reschedule", new { start = "2027-05-05T10:00" }, ("If-Match", "\"1\""));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal("2027-05-04T10:00:00+01:00", (string)(await clinic.GetAsync(session))["start"]!);
    }

    [Fact]
    public async Task A_change_with_the_current_ETag_goes_ahead()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);
        using var read = await clinic.Client.GetAsync(session);

        using var response = await clinic.PostAsync($"{session}/cancel", new { reason = "Unwell" }, ("If-Match", read.Headers.ETag!.ToString()));

        Assert.Equal("Cancelled", (string)(await ClinicDriver.ReadAsync(response, HttpStatusCode.OK))["status"]!);
    }

    [Fact]
    public async Task If_Match_star_matches_whatever_the_version_is()
    {
        var (clinic, session) = await Requests.StartedSessionAsync(factory.Clock, client);

        using var response = await clinic.PostAsync($"{session}/no-show", null, ("If-Match", "*"));

        Assert.Equal("NoShow", (string)(await ClinicDriver.ReadAsync(response, HttpStatusCode.OK))["status"]!);
    }

    [Fact]
    public async Task A_weak_ETag_never_matches_because_If_Match_compares_strongly()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);

        using var response = await clinic.PostAsync($"{session}/check-in", null, ("If-Match", "W/\"1\""));

        await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task An_unquoted_If_Match_is_a_400_naming_the_header()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);

        using var response = await clinic.PostAsync($"{session}/check-in", null, ("If-Match", "1"));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["If-Match"]);
    }

    [Fact]
    public async Task Holding_a_plan_with_the_ETag_from_before_it_was_booked_is_a_412()
    {
        var (clinic, _, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        using var created = await clinic.PostAsync($"{clinic.Base}/treatment-plans", Plan(patient));
        var plan = await ClinicDriver.ReadAsync(created, HttpStatusCode.Created);
        var draftETag = created.Headers.ETag!.ToString();
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        using var response = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/hold", null, ("If-Match", draftETag));

        var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (int)problem["currentVersion"]!);
        Assert.Equal("Active", (string)(await clinic.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}"))["status"]!);
    }

    [Fact]
    public async Task Getting_a_plan_sends_its_version_as_the_ETag()
    {
        var (clinic, _, patient) = await Requests.ClinicWithChairAndPatientAsync(client);
        var plan = await clinic.PostAsync($"{clinic.Base}/treatment-plans", Plan(patient), HttpStatusCode.Created);
        await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);

        using var response = await clinic.Client.GetAsync($"{clinic.Base}/treatment-plans/{plan["id"]}");

        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
    }

    internal static object Plan(string patientId) => new
    {
        patientId,
        startDate = "2027-02-01",
        preferredStartTime = "10:00",
        induction = new { sessions = 2, intervalDays = 2 },
        maintenance = new { sessions = 1, intervalDays = 28 },
    };
}

/// <summary>With <c>Concurrency:RequireIfMatch</c> on, a change must say which version it was made against.</summary>
[Collection(RequireIfMatchCollection.Name)]
public sealed class RequiredIfMatchTests(RequireIfMatchFactory factory)
{
    private readonly HttpClient client = factory.NewClient();

    [Fact]
    public async Task A_change_without_If_Match_is_a_428_and_changes_nothing()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);

        using var response = await clinic.PostAsync($"{session}/cancel", new { reason = "Unwell" });

        await ClinicDriver.ProblemAsync(response, (HttpStatusCode)428);
        Assert.Equal("Booked", (string)(await clinic.GetAsync(session))["status"]!);
    }

    [Fact]
    public async Task A_change_with_If_Match_goes_ahead()
    {
        var (clinic, session) = await Requests.BookedSessionAsync(client);

        using var response = await clinic.PostAsync($"{session}/cancel", new { reason = "Unwell" }, ("If-Match", "\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
