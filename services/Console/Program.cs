using TeamPlatform.Console;
using TeamPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddConsole();

var app = builder.Build();
app.UseConsole();

await app.RunAsync();
