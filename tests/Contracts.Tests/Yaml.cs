using System.Globalization;
using System.Text;

namespace TeamPlatform.Contracts.Tests;

/// <summary>An ordered YAML mapping: keys come out in the order they were added, so the document is stable.</summary>
internal sealed class YamlMap : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

/// <summary>
/// Writes maps, lists, strings, integers and booleans as block YAML. Strings are always single-quoted, so no value
/// (an exchange name with a colon, a version, "null") is ever read as something else.
/// </summary>
internal static class Yaml
{
    public static string Write(YamlMap document)
    {
        var text = new StringBuilder();
        WriteMap(text, document, 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, YamlMap map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteList(StringBuilder text, List<object?> list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case YamlMap { Count: > 0 } map:
                    // The first key shares the dash's line; the others line up under it.
                    var inner = new StringBuilder();
                    WriteMap(inner, map, indent + 2);
                    text.Append(' ').Append(inner.ToString()[(indent + 2)..]);
                    break;
                default:
                    WriteValue(text, item, indent);
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder text, object? value, int indent)
    {
        switch (value)
        {
            case YamlMap { Count: 0 }:
                text.Append(" {}\n");
                break;
            case YamlMap map:
                text.Append('\n');
                WriteMap(text, map, indent + 2);
                break;
            case List<object?> { Count: 0 }:
                text.Append(" []\n");
                break;
            case List<object?> list:
                text.Append('\n');
                WriteList(text, list, indent + 2);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Key(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$') ? key : Quote(key);

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string text => Quote(text),
        _ => throw new ArgumentException($"No YAML for {value.GetType()}", nameof(value)),
    };

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
