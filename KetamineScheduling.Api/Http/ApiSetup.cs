using KetamineScheduling.Domain.Sessions;
using NodaTime;

namespace KetamineScheduling.Api.Http;

/// <summary>The services every feature shares: JSON rules, the clock and the scheduling engine.</summary>
internal static class ApiSetup
{
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => ClinicJson.Configure(o.SerializerOptions));
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ClinicJson.Configure(o.JsonSerializerOptions));

        // Tests replace the clock with NodaTime.Testing's FakeClock; nothing else reads the time.
        builder.Services.AddSingleton<IClock>(new StoredPrecisionClock(SystemClock.Instance));
        builder.Services.AddSingleton(services => new Placement(services.GetRequiredService<IClock>()));
        builder.Services.AddSingleton(services => new Rescheduling(services.GetRequiredService<IClock>()));
        builder.Services.AddSingleton<Clinics.ClinicCache>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Events.ChangeWatch>();
        builder.Services.AddSingleton<Sessions.UpcomingCache>();
        return builder;
    }

    /// <summary>
    /// The time cut to whole milliseconds, the precision instants are stored at, so that an instant an answer gives
    /// as it makes something (a new feed's <c>createdAt</c>) is the one every later read of it gives.
    /// </summary>
    private sealed class StoredPrecisionClock(IClock clock) : IClock
    {
        public Instant GetCurrentInstant() => Instant.FromUnixTimeMilliseconds(clock.GetCurrentInstant().ToUnixTimeMilliseconds());
    }
}
