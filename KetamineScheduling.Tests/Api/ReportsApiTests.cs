using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NodaTime;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// The practice manager's reports over HTTP, against a small clinic whose figures are worked out by hand. Each test
/// has a server of its own, since recording what happened at the chair moves the clock to the sessions' day.
/// </summary>
public sealed class ReportsApiTests
{
    private const string Range = "from=2027-01-11&to=2027-01-13";

    /// <summary>
    /// A clinic in London open Monday to Saturday 08:00-17:00 (540 minutes a day), closed on Wednesday 13 January
    /// 2027, with 30 minutes' observation and 15 minutes' cleaning, and two chairs, A and B:
    /// <list type="bullet">
    /// <item>Monday 11th, chair A: 09:00 completed and 11:00 booked, 40-minute infusions: 2 × 85 = 170 minutes.</item>
    /// <item>Monday 11th, chair B: 09:00 a no-show, 13:00 cancelled: no booked minutes.</item>
    /// <item>Tuesday 12th, chair B: 10:00 with a 60-minute infusion: 105 minutes.</item>
    /// </list>
    /// </summary>
    private static async Task<ClinicDriver> SmallClinicAsync(ApiFactory api, string chairA = "Chair A")
    {
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync(closedDates: ["2027-01-13"]);
        var a = await clinic.AddChairAsync(chairA);
        var b = await clinic.AddChairAsync("Chair B");
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        async Task<string> BookAsync(string chair, string who, string start, int infusionMinutes = 40) =>
            (string)(await clinic.PostAsync($"{clinic.Base}/sessions", new { patientId = who, chairId = chair, start, infusionMinutes }, HttpStatusCode.Created))["id"]!;

        var completed = await BookAsync(a, patient, "2027-01-11T09:00");
        await BookAsync(a, patient, "2027-01-11T11:00");
        var noShow = await BookAsync(b, other, "2027-01-11T09:00");
        var cancelled = await BookAsync(b, other, "2027-01-11T13:00");
        await BookAsync(b, other, "2027-01-12T10:00", infusionMinutes: 60);

        api.Clock.Reset(Instant.FromUtc(2027, 1, 11, 9, 0));
        await clinic.PostAsync($"{clinic.Base}/sessions/{completed}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{completed}/complete", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{noShow}/no-show", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{clinic.Base}/sessions/{cancelled}/cancel", new { reason = "Unwell" }, HttpStatusCode.OK);
        return clinic;
    }

    /// <summary>
    /// The figures worked out by hand: date (empty for all dates), chair (empty for all chairs), open minutes,
    /// booked minutes, utilisation (empty when closed), sessions, no-shows, cancellations.
    /// </summary>
    private static readonly string[][] Expected =
    [
        ["2027-01-11", "Chair A", "540", "170", "31.5", "2", "0", "0"],
        ["2027-01-11", "Chair B", "540", "0", "0", "0", "1", "1"],
        ["2027-01-12", "Chair A", "540", "0", "0", "0", "0", "0"],
        ["2027-01-12", "Chair B", "540", "105", "19.4", "1", "0", "0"],
        ["2027-01-13", "Chair A", "0", "0", "", "0", "0", "0"],
        ["2027-01-13", "Chair B", "0", "0", "", "0", "0", "0"],
        ["2027-01-11", "", "1080", "170", "15.7", "2", "1", "1"],
        ["2027-01-12", "", "1080", "105", "9.7", "1", "0", "0"],
        ["2027-01-13", "", "0", "0", "", "0", "0", "0"],
        ["", "Chair A", "1080", "170", "15.7", "2", "0", "0"],
        ["", "Chair B", "1080", "105", "9.7", "1", "1", "1"],
        ["", "", "2160", "275", "12.7", "3", "1", "1"],
    ];

    [Fact]
    public async Task Utilisation_per_chair_and_date_with_its_totals_matches_the_figures_worked_out_by_hand()
    {
        using var api = ApiFactory.With();
        var clinic = await SmallClinicAsync(api);

        var report = await clinic.GetAsync($"{clinic.Base}/reports/utilization?{Range}");

        Assert.Equal(("2027-01-11", "2027-01-13", "Europe/London"), ((string)report["from"]!, (string)report["to"]!, (string)report["timeZone"]!));
        var rows = new[] { "rows", "days", "chairs" }.SelectMany(list => report[list]!.AsArray()).Append(report["total"]).Select(r => Figures(r!.AsObject())).ToList();
        Assert.Equal(Expected, rows);
    }

    [Fact]
    public async Task The_csv_has_a_header_and_the_same_rows_with_the_same_numbers()
    {
        using var api = ApiFactory.With();
        var clinic = await SmallClinicAsync(api);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{clinic.Base}/reports/utilization?{Range}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await clinic.Client.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["date", "chairId", "chairName", "openMinutes", "bookedMinutes", "utilizationPercent", "sessions", "noShows", "cancellations"], lines[0]);
        Assert.Equal(Expected, lines.Skip(1).Select(f => (string[])[f[0], f[2], .. f[3..]]));
        Assert.All(lines.Skip(1), f => Assert.True(f[1].Length == 0 || Guid.TryParse(f[1], out _), f[1]));
    }

    [Fact]
    public async Task Without_asking_for_csv_the_report_is_json_and_says_it_varies_by_accept()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{clinic.Base}/reports/utilization?{Range}");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        using var response = await clinic.Client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("", "from", "Is required")]
    [InlineData("from=2027-01-11", "to", "Is required")]
    [InlineData("from=2027-02-30&to=2027-03-01", "from", "date that exists")]
    [InlineData("from=2027-01-11&to=2027-01-10", "to", "on or after from")]
    [InlineData("from=2027-01-01&to=2027-04-03", "to", "at most 92 days")]
    public async Task A_range_that_is_missing_backwards_or_longer_than_92_days_is_a_400_naming_the_field(string query, string field, string message)
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();

        foreach (var report in new[] { "utilization", "utilization.svg", "treatment-outcomes" })
        {
            using var response = await clinic.Client.GetAsync($"{clinic.Base}/reports/{report}?{query}");
            var problem = await ClinicDriver.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains(message, (string)problem["errors"]![field]![0]!);
        }
    }

    [Fact]
    public async Task Ninety_two_days_is_the_longest_range()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        await clinic.AddChairAsync();

        var report = await clinic.GetAsync($"{clinic.Base}/reports/utilization?from=2027-01-01&to=2027-04-02");

        Assert.Equal(92, report["days"]!.AsArray().Count);
    }

    [Fact]
    public async Task Reports_are_for_clinic_admins_and_schedulers_and_each_read_is_audited()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var scheduler = clinic.WithKey((await clinic.IssueKeyAsync("scheduler")).Key);
        var ehr = clinic.WithKey((await clinic.IssueKeyAsync("integration")).Key);

        await scheduler.GetAsync($"{clinic.Base}/reports/treatment-outcomes?{Range}");
        await ehr.GetAsync($"{clinic.Base}/reports/utilization?{Range}", HttpStatusCode.Forbidden);

        var audit = await AuditAsync(clinic, "GetTreatmentOutcomesReport");
        Assert.Equal(("scheduler", "report", "succeeded"), ((string)audit["actor"]!["role"]!, (string)audit["resourceType"]!, (string)audit["outcome"]!));
    }

    [Fact]
    public async Task Treatment_outcomes_count_the_plans_that_started_in_the_range()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        for (var i = 0; i < 3; i++)
        {
            await clinic.AddChairAsync();
        }

        // Three plans of two induction sessions, on Monday 11 and Wednesday 13 January at 10:00.
        var plans = new List<string[]>();
        for (var i = 0; i < 3; i++)
        {
            var plan = await clinic.AddPlanAsync(await clinic.AddPatientAsync(), startDate: "2027-01-11", inductionSessions: 2);
            var booked = await clinic.PostAsync($"{clinic.Base}/treatment-plans/{plan["id"]}/book", null, HttpStatusCode.OK);
            plans.Add([.. booked["sessions"]!.AsArray().Select(s => $"{clinic.Base}/sessions/{s!["session"]!["id"]}")]);
        }

        api.Clock.Reset(Instant.FromUtc(2027, 1, 11, 10, 0));
        await CompleteAsync(clinic, plans[0][0]);
        await CompleteAsync(clinic, plans[1][0]);
        await clinic.PostAsync($"{plans[1][1]}/cancel", new { reason = "Stopping treatment" }, HttpStatusCode.OK);
        await clinic.PostAsync($"{plans[2][0]}/no-show", null, HttpStatusCode.OK);
        api.Clock.Reset(Instant.FromUtc(2027, 1, 13, 10, 0));
        await CompleteAsync(clinic, plans[0][1]);

        var outcomes = await clinic.GetAsync($"{clinic.Base}/reports/treatment-outcomes?from=2027-01-11&to=2027-01-11");
        var later = await clinic.GetAsync($"{clinic.Base}/reports/treatment-outcomes?from=2027-01-12&to=2027-01-31");

        // Plan 1 finished its induction, plan 2 stopped after its first infusion, plan 3 missed its first and is still booked.
        Assert.Equal(3, (int)outcomes["plansStarted"]!);
        Assert.Equal(1, (int)outcomes["inductionCompleted"]!);
        Assert.Equal(1, (int)outcomes["stoppedAfterFirstSession"]!);
        Assert.Equal(0.3333m, (decimal)outcomes["completionRate"]!);
        Assert.Equal(0.25m, (decimal)outcomes["noShowRate"]!);
        Assert.Equal(0, (int)outcomes["plansWithOutcomeMeasures"]!);
        Assert.Null(outcomes["responseRate"]);
        Assert.Null(outcomes["remissionRate"]);
        Assert.True(outcomes.ContainsKey("responseRate") && outcomes.ContainsKey("remissionRate"));
        Assert.Equal(0, (int)later["plansStarted"]!);
        Assert.Null(later["completionRate"]);
    }

    [Fact]
    public async Task Treatment_outcomes_leave_out_a_plan_whose_first_session_is_still_ahead_until_it_begins()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        await clinic.AddChairAsync();
        // The first session is on Monday 11 January 2027 at 10:00 London, which is 10:00 UTC; the clock is earlier.
        await clinic.BookPlanAsync(await clinic.AddPatientAsync(), inductionSessions: 2);
        const string january = "from=2027-01-01&to=2027-01-31";

        var ahead = await clinic.GetAsync($"{clinic.Base}/reports/treatment-outcomes?{january}");
        api.Clock.Reset(Instant.FromUtc(2027, 1, 11, 10, 0));
        var begun = await clinic.GetAsync($"{clinic.Base}/reports/treatment-outcomes?{january}");

        Assert.Equal(0, (int)ahead["plansStarted"]!);
        Assert.Null(ahead["completionRate"]);
        Assert.Equal(1, (int)begun["plansStarted"]!);
        Assert.Equal(0m, (decimal)begun["completionRate"]!);
    }

    /// <summary>
    /// Four plans from Monday 11 January 2027, each patient with a PHQ-9 of 16 a week before: one falls to 8 (a 50%
    /// fall, a response), one to 2 (remission, 4 or less), one to 14 (no response; a 2 entered in error and retracted
    /// does not count), and one has only its baseline, so its outcome is not measured. Measured 3: responses 2/3
    /// (a remission is a response too), remissions 1/3.
    /// </summary>
    [Fact]
    public async Task Treatment_outcomes_rate_responses_and_remissions_against_each_plans_baseline()
    {
        using var api = ApiFactory.With();
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var clinician = clinic.WithKey((await clinic.IssueKeyAsync("clinician")).Key);
        var patients = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await clinic.AddChairAsync();
            var patient = await clinic.AddPatientAsync();
            patients.Add(patient);
            await clinic.BookPlanAsync(patient, inductionSessions: 2);
        }

        api.Clock.Reset(Instant.FromUtc(2027, 1, 20, 12, 0));
        async Task<string> RecordAsync(string patient, int[] answers, string takenAt) =>
            (string)(await clinician.PostAsync($"{clinic.Base}/patients/{patient}/assessments", new { instrument = "phq9", answers, takenAt }, HttpStatusCode.Created))["id"]!;

        foreach (var patient in patients)
        {
            await RecordAsync(patient, [2, 2, 2, 2, 2, 2, 2, 2, 0], "2027-01-04T08:30");
        }

        await RecordAsync(patients[0], [1, 1, 1, 1, 1, 1, 1, 1, 0], "2027-01-14T09:00");
        await RecordAsync(patients[1], [1, 1, 0, 0, 0, 0, 0, 0, 0], "2027-01-14T09:00");
        await RecordAsync(patients[2], [2, 2, 2, 2, 2, 2, 1, 1, 0], "2027-01-14T09:00");
        var mistake = await RecordAsync(patients[2], [1, 1, 0, 0, 0, 0, 0, 0, 0], "2027-01-15T09:00");
        await clinician.PostAsync($"{clinic.Base}/patients/{patients[2]}/assessments/{mistake}/retract", new { reason = "Another patient's form" }, HttpStatusCode.OK);

        var outcomes = await clinic.GetAsync($"{clinic.Base}/reports/treatment-outcomes?from=2027-01-11&to=2027-01-11");

        Assert.Equal(4, (int)outcomes["plansStarted"]!);
        Assert.Equal(3, (int)outcomes["plansWithOutcomeMeasures"]!);
        Assert.Equal(0.6667m, (decimal)outcomes["responseRate"]!);
        Assert.Equal(0.3333m, (decimal)outcomes["remissionRate"]!);
    }

    [Fact]
    public async Task The_heat_map_is_plain_svg_with_the_names_escaped()
    {
        using var api = ApiFactory.With();
        var clinic = await SmallClinicAsync(api, chairA: "<A & \"B\">");

        using var response = await clinic.Client.GetAsync($"{clinic.Base}/reports/utilization.svg?{Range}");
        var svg = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var document = System.Xml.Linq.XDocument.Parse(svg);
        Assert.Equal("{http://www.w3.org/2000/svg}svg", document.Root!.Name.ToString());
        Assert.Contains("&lt;A &amp; &quot;B&quot;&gt;", svg);
        Assert.DoesNotContain("<A &", svg);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(document.Descendants(), e => e.Value == "<A & \"B\">");
        Assert.Contains("170 of 540 minutes booked (31.5%)", svg);
    }

    /// <summary>Where the rendered heat map is left, for a person to look at: the test's output says so.</summary>
    public static string RenderedHeatMap => Path.Combine(Path.GetTempPath(), "ketamine-scheduling-utilization.png");

    [SkippableFact]
    public async Task The_heat_map_renders_in_headless_chromium_as_a_picture_of_many_colours()
    {
        const string chromium = "/usr/bin/chromium";
        Skip.IfNot(File.Exists(chromium), $"The heat map is rendered with Debian's chromium, and {chromium} is not installed (apt-get install -y chromium).");
        using var api = ApiFactory.With();
        var clinic = await SmallClinicAsync(api);
        var folder = Directory.CreateTempSubdirectory("heat-map-");
        var svgFile = Path.Combine(folder.FullName, "utilization.svg");
        var png = Path.Combine(folder.FullName, "utilization.png");
        await File.WriteAllTextAsync(svgFile, await clinic.Client.GetStringAsync($"{clinic.Base}/reports/utilization.svg?from=2027-01-04&to=2027-01-16"));

        await RunAsync(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}",
            $"--screenshot={png}", "--window-size=1200,800", new Uri(svgFile).AbsoluteUri,
        ]);

        var (width, height, colours) = PngPixels.Colours(await File.ReadAllBytesAsync(png));
        File.Copy(png, RenderedHeatMap, overwrite: true);
        Assert.Equal((1200, 800), (width, height));
        Assert.True(new FileInfo(png).Length > 10_000, $"The PNG is only {new FileInfo(png).Length} bytes.");
        Assert.True(colours > 10, $"The PNG has {colours} colours; the heat map has at least white, text, grey and the scale's.");
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await output}{await errors}");
    }

    private static async Task CompleteAsync(ClinicDriver clinic, string session)
    {
        await clinic.PostAsync($"{session}/check-in", null, HttpStatusCode.OK);
        await clinic.PostAsync($"{session}/complete", null, HttpStatusCode.OK);
    }

    private static async Task<JsonObject> AuditAsync(ClinicDriver clinic, string action) =>
        (await clinic.GetAsync($"{clinic.Base}/audit-events"))["items"]!.AsArray().Select(e => e!.AsObject()).First(e => (string)e["action"]! == action);

    private static string[] Figures(JsonObject row) =>
    [
        (string?)row["date"] ?? "",
        (string?)row["chairName"] ?? "",
        ((int)row["openMinutes"]!).ToString(CultureInfo.InvariantCulture),
        ((int)row["bookedMinutes"]!).ToString(CultureInfo.InvariantCulture),
        ((decimal?)row["utilizationPercent"])?.ToString(CultureInfo.InvariantCulture) ?? "",
        ((int)row["sessions"]!).ToString(CultureInfo.InvariantCulture),
        ((int)row["noShows"]!).ToString(CultureInfo.InvariantCulture),
        ((int)row["cancellations"]!).ToString(CultureInfo.InvariantCulture),
    ];
}
