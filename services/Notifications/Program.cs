using TeamPlatform.Notifications;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddNotificationService();

var app = builder.Build();
app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapNotificationEndpoints();

await app.RunAsync();
