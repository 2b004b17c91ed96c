using KetamineScheduling.Api.Data;
using KetamineScheduling.Api.Health;

var builder = WebApplication.CreateBuilder(args);
builder.AddDatabase();
var app = builder.Build();

app.MapGet("/", () => "Hello World!");
app.MapHealth();

app.Run();
