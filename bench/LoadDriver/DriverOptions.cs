namespace TeamPlatform.LoadDriver;

public sealed record DriverOptions(
    string Scenario,
    Uri Gateway,
    Uri? Direct,
    Uri? Replica,
    int Rate,
    TimeSpan Duration,
    int Tries,
    string? ClientSecret,
    string PermissionDatabase,
    string SeederProject,
    TimeSpan Settle,
    int Members,
    int Groups,
    int Holders)
{
    public static DriverOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new DriverOptions(
            args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "",
            new Uri(Value("--gateway") ?? "http://localhost:5080"),
            Value("--direct") is { } direct ? new Uri(direct) : null,
            Value("--replica") is { } replica ? new Uri(replica) : null,
            int.Parse(Value("--rate") ?? "100"),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "20")),
            int.Parse(Value("--tries") ?? "100"),
            Value("--client-secret"),
            Value("--permission-db") ?? "Host=127.0.0.1;Username=teamplatform;Password=teamplatform;Database=teamplatform_permission",
            Value("--seeder") ?? "bench/Seeder",
            TimeSpan.FromSeconds(double.Parse(Value("--settle") ?? "60")),
            int.Parse(Value("--members") ?? "100000"),
            int.Parse(Value("--groups") ?? "1000"),
            int.Parse(Value("--holders") ?? "0"));
    }

    public HttpClient Client(Uri? address = null) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    {
        BaseAddress = address ?? Gateway,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
