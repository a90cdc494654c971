using TeamPlatform.Identity;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddIdentityService();

var app = builder.Build();
app.UseIdentityService();
app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapIdentityEndpoints();

await app.RunAsync();
