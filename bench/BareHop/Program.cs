// The gateway's forwarding hop with nothing of TeamPlatform in it, for bench/LoadDriver's "hop" scenario.
// "app <port>" answers GET /roles from memory; "proxy <port> <app address>" answers GET /alive itself and forwards every
// other request to the app with YARP's forwarder, as the gateway forwards to a service. No authentication, rate
// limits, telemetry or logging: whatever tail the hop still has on a machine is that machine's.
var (mode, port) = args.Length >= 2 ? (args[0], args[1]) : throw new ArgumentException("usage: app <port> | proxy <port> <app address>");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();

switch (mode)
{
    case "app":
        // A small JSON answer from memory, like the trivial route the check scenario sends through the gateway.
        const string Roles = """[{"name":"admin","label":"Admin"},{"name":"manager","label":"Manager"},{"name":"staff","label":"Staff"},{"name":"none","label":"None"}]""";
        app.MapGet("/roles", () => TypedResults.Text(Roles, "application/json"));
        break;
    case "proxy" when args.Length >= 3:
        app.MapGet("/alive", () => TypedResults.Ok());
        app.MapForwarder("/{**rest}", args[2]);
        break;
    default:
        throw new ArgumentException("usage: app <port> | proxy <port> <app address>");
}

await app.RunAsync();
