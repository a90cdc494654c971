using TeamPlatform.Internal;
using TeamPlatform.LoadDriver;
using TeamPlatform.Topologies;

// Two topologies of the whole system side by side in this process, each on databases and a RabbitMQ virtual host of its
// own, driven in turns: see docs/benchmarks.md ("Two gateways and two permission replicas beside one of each").
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var only = Value("--only"); // saturation | propagation; both when absent
var rounds = int.Parse(Value("--rounds") ?? "8");
var burst = TimeSpan.FromSeconds(double.Parse(Value("--burst") ?? "5"));
var workers = int.Parse(Value("--workers") ?? "32");
var changes = int.Parse(Value("--changes") ?? "400");
var traceSampling = Environment.GetEnvironmentVariable("Telemetry__TraceSamplingRatio") ?? "0.01";
var clients = DriverOptions.Parse([]);
const string ServiceClientSecret = "bench-client-secret-0123456789abcdef0123";

Console.WriteLine($"starting both systems (trace sampling {traceSampling}); load average {SaturationComparison.LoadAverage()}");
// One after the other: fourteen processes migrating and warming up at once on two cores time out their database connections.
var systems = new List<RunningSystem>();
try
{
    systems.Add(await RunningSystem.StartAsync("1 × 1", new Dictionary<string, int>(), ServiceClientSecret, traceSampling));
    systems.Add(await RunningSystem.StartAsync("2 × 2", new Dictionary<string, int> { [ServiceNames.Gateway] = 2, [ServiceNames.Permission] = 2 }, ServiceClientSecret, traceSampling));
    foreach (var system in systems)
    {
        Console.WriteLine($"{system.Name}: front {system.Front} at {system.Address(system.Front)}; processes {string.Join(", ", system.ProcessIds().Select(p => $"{p.Key}={p.Value}"))}");
    }

    if (only is null or "saturation")
    {
        await SaturationComparison.RunAsync(systems, address => clients.Client(address), rounds, burst, workers);
    }

    if (only is null or "propagation")
    {
        await PropagationAcrossGateways.RunAsync(systems[1], address => clients.Client(address), changes);
    }
}
finally
{
    foreach (var system in systems)
    {
        await system.DisposeAsync();
    }
}
