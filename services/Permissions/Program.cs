using TeamPlatform.Permissions;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddPermissionService();

var app = builder.Build();
app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapPermissionEndpoints();

await app.RunAsync();
