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
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddSingleton(services => new Placement(services.GetRequiredService<IClock>()));
        builder.Services.AddSingleton(services => new Rescheduling(services.GetRequiredService<IClock>()));
        builder.Services.AddSingleton<Clinics.ClinicCache>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Events.ChangeWatch>();
        builder.Services.AddSingleton<Sessions.UpcomingCache>();
        return builder;
    }
}
