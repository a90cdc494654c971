using TeamPlatform.Edge;
using TeamPlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdge();

var app = builder.Build();
app.UseEdge();

await app.RunAsync();
