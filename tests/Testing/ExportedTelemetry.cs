using System.Collections;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace TeamPlatform.Testing;

/// <summary>
/// What a host's OpenTelemetry exporters send (to the dashboard's collector in a deployment), captured in memory: every
/// span, and every log record as text (message, attributes, scopes, exception) rendered while the exporter holds it.
/// Tracing listens to the whole process, so the spans include those of other hosts in the same test process.
/// </summary>
public sealed class ExportedTelemetry
{
    private readonly Locked<Activity> _spans = new(span => span);
    private readonly Locked<LogRecord> _logs = new(Render);

    public IReadOnlyList<Activity> Spans => _spans.Snapshot().Cast<Activity>().ToList();

    /// <summary>Each exported log record, rendered with everything an exporter reads of it.</summary>
    public IReadOnlyList<string> LogRecords => _logs.Snapshot().Cast<string>().ToList();

    public void AddExporters(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_logs));
    }

    /// <summary>A span's name, kind, status, every attribute, and every event with its attributes.</summary>
    public static string Render(Activity span)
    {
        var text = new StringBuilder($"{span.Kind} {span.DisplayName} ({span.Source.Name}) {span.Status} {span.StatusDescription}");
        foreach (var tag in span.TagObjects)
        {
            text.Append($" {tag.Key}={tag.Value}");
        }

        foreach (var spanEvent in span.Events)
        {
            text.Append($" event {spanEvent.Name}:");
            foreach (var tag in spanEvent.Tags)
            {
                text.Append($" {tag.Key}={tag.Value}");
            }
        }

        return text.ToString();
    }

    /// <summary>A log record as the exporter reads it: category, level, body, formatted message, attributes, scopes, exception.</summary>
    public static string Render(LogRecord record)
    {
        var text = new StringBuilder($"{record.LogLevel} {record.CategoryName}: {record.Body} | {record.FormattedMessage}");
        foreach (var attribute in record.Attributes ?? [])
        {
            text.Append($" {attribute.Key}={attribute.Value}");
        }

        record.ForEachScope(
            (scope, builder) =>
            {
                builder.Append(" scope:");
                foreach (var item in scope)
                {
                    builder.Append($" {item.Key}={item.Value}");
                }
            },
            text);
        text.Append($" {record.Exception}");
        return text.ToString();
    }

    /// <summary>
    /// The exporter's collection: it adds from the exporting thread while a test reads. A log record is pooled and
    /// reused once exported, so it is kept as the text it rendered to.
    /// </summary>
    private sealed class Locked<T>(Func<T, object> keep) : ICollection<T>
    {
        private readonly List<object> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            var kept = keep(item);
            lock (_items)
            {
                _items.Add(kept);
            }
        }

        public List<object> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => throw new NotSupportedException();

        public void CopyTo(T[] array, int arrayIndex) => throw new NotSupportedException();

        public bool Remove(T item) => throw new NotSupportedException();

        public IEnumerator<T> GetEnumerator() => throw new NotSupportedException();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
