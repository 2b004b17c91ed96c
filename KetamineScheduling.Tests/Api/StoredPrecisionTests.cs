using System.Net;

namespace KetamineScheduling.Tests.Api;

/// <summary>
/// Instants are stored to the millisecond. On the real clock, which has ten-millionths of a second, an answer that
/// gives an instant as it makes something must give the one that every later read of it gives.
/// </summary>
public sealed class StoredPrecisionTests
{
    [Fact]
    public async Task A_new_feeds_createdAt_is_the_instant_every_later_read_of_it_gives()
    {
        using var database = new TempDatabase("stored-precision");
        await using var api = await ApiProcess.StartAsync(database.Path);
        var clinic = await new ClinicDriver(api.NewClient()).CreateClinicAsync();
        var patient = await clinic.AddPatientAsync();
        var feeds = $"{clinic.Base}/patients/{patient}/calendar-feeds";

        // Several, so that one made on a whole millisecond by chance cannot pass for all of them.
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((string)(await clinic.PostAsync(feeds, null, HttpStatusCode.Created))["createdAt"]!);
        }

        var listed = (await clinic.GetAsync(feeds))["items"]!.AsArray().Select(f => (string)f!["createdAt"]!);
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
