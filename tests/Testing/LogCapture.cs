using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit;

namespace TeamPlatform.Testing;

/// <summary>
/// Every line a host logs (at the levels its configuration lets through): level, category, message, structured
/// values, scopes and exceptions, so that tests can look for secrets in all of it.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    /// <summary>Fails when any line holds one of <paramref name="secrets"/> (phones are also looked for without their <c>+</c>).</summary>
    public void AssertFreeOf(params string[] secrets)
    {
        var needles = secrets.Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => s.StartsWith('+') ? new[] { s, s[1..] } : [s])
            .Distinct()
            .ToList();
        var leaks = _lines.Where(line => needles.Any(n => line.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"Secrets in {leaks.Count} log lines, first: {leaks.FirstOrDefault()}");
        Assert.NotEmpty(_lines);
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{Describe(state)}] {exception}");

        private static string Describe<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"))
            : $"{state}";
    }
}
