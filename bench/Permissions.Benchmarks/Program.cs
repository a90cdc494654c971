using BenchmarkDotNet.Running;
using TeamPlatform.Permissions.Benchmarks;

// dotnet run -c Release --project bench/Permissions.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CheckBenchmarks).Assembly).Run(args);
