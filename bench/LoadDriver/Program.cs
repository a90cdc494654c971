using TeamPlatform.LoadDriver;

// Load runs against a running system (./run.sh): see docs/benchmarks.md for the commands and results.
var options = DriverOptions.Parse(args);
var scenario = options.Scenario switch
{
    "login" => LoginScenario.RunAsync(options),
    "revocation" => RevocationScenario.RunAsync(options),
    "check" => CheckScenario.RunAsync(options),
    "propagation" => PropagationScenario.RunAsync(options),
    "expiry" => ExpiryScenario.RunAsync(options),
    "scale" => ScaleScenario.RunAsync(options),
    "console" => ConsoleScenario.RunAsync(options),
    "soak" => SoakScenario.RunAsync(options),
    "export" => ExportScenario.RunAsync(options),
    "webhooks" => WebhookScenario.RunAsync(options),
    "hop" => HopScenario.RunAsync(options),
    _ => Task.FromException(new ArgumentException($"unknown scenario '{options.Scenario}'; one of login, revocation, check, propagation, expiry, scale, console, soak, export, webhooks, hop")),
};
await scenario;
