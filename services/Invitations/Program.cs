using TeamPlatform.Invitations;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddInvitationService();

var app = builder.Build();
app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapInvitationEndpoints();

await app.RunAsync();
