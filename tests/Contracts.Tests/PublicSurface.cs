using System.Reflection;
using System.Text;

namespace TeamPlatform.Contracts.Tests;

/// <summary>
/// The public surface of the contracts as lines: <c>Namespace.Type: record</c> for each type and
/// <c>Namespace.Type.Property: TypeName</c> for each property (constants with their value), sorted. The namespace is part
/// of every line, so a <c>V2</c> of a type is a new contract beside the <c>V1</c> one.
/// </summary>
internal static class PublicSurface
{
    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            lines.Add($"{type.FullName}: {KindOf(type)}");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                         .Where(p => p.Name != "EqualityContract"))
            {
                lines.Add($"{type.FullName}.{property.Name}: {TypeNames.Of(property.PropertyType, nullability.Create(property))}");
            }
            foreach (var constant in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                lines.Add($"{type.FullName}.{constant.Name}: {TypeNames.Of(constant.FieldType, null)} = \"{constant.GetRawConstantValue()}\"");
            }
        }
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>What changed from <paramref name="baseline"/> to <paramref name="current"/>, line by line.</summary>
    public static SurfaceChanges Compare(IEnumerable<string> baseline, IEnumerable<string> current)
    {
        var before = Index(baseline);
        var after = Index(current);
        var breaking = new List<string>();
        foreach (var (member, line) in before)
        {
            if (!after.TryGetValue(member, out var now))
            {
                breaking.Add($"removed: {line}");
            }
            else if (now != line)
            {
                breaking.Add($"retyped: {line} (now {now[(member.Length + 2)..]})");
            }
        }
        var added = after.Where(entry => !before.ContainsKey(entry.Key)).Select(entry => entry.Value).ToList();
        return new SurfaceChanges(breaking, added);
    }

    public static string Text(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    public static IReadOnlyList<string> Parse(string text) =>
        [.. text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.StartsWith('#'))];

    private static Dictionary<string, string> Index(IEnumerable<string> lines) =>
        lines.ToDictionary(line => line[..line.IndexOf(": ", StringComparison.Ordinal)], StringComparer.Ordinal);

    private static string KindOf(Type type) =>
        type.IsAbstract && type.IsSealed ? "static class"
        : type.GetMethod("<Clone>$") is not null ? "record"
        : type.IsEnum ? "enum"
        : type.IsValueType ? "struct"
        : "class";
}

/// <summary>
/// <paramref name="Breaking"/>: lines of the baseline removed or retyped, which subscribers' code or deserialisation would
/// trip on. <paramref name="Added"/>: new types and properties, which they ignore until they need them.
/// </summary>
internal sealed record SurfaceChanges(IReadOnlyList<string> Breaking, IReadOnlyList<string> Added);

/// <summary>C#-like names of property types, with their nullability.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(string)] = "string", [typeof(int)] = "int", [typeof(long)] = "long", [typeof(bool)] = "bool",
        [typeof(decimal)] = "decimal", [typeof(double)] = "double", [typeof(object)] = "object",
    };

    public static string Of(Type type, NullabilityInfo? nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, null) + "?";
        }
        var name = Keywords.TryGetValue(type, out var keyword) ? keyword
            : type.IsGenericType
                ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select((argument, i) => Of(argument, nullability?.GenericTypeArguments.ElementAtOrDefault(i))))}>"
                : type.Name;
        return !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}
