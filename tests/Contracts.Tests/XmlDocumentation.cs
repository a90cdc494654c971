using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TeamPlatform.Contracts.Tests;

/// <summary>The summaries and parameter texts of the contracts' XML documentation, as plain text.</summary>
internal sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocumentation(XDocument document) =>
        _members = document.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);

    /// <summary>The documentation file the build writes beside the assembly (copied next to the tests).</summary>
    public static XmlDocumentation For(Assembly assembly) =>
        new(XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml")));

    public string? Summary(Type type) =>
        _members.TryGetValue($"T:{type.FullName}", out var member) ? Plain(member.Element("summary")) : null;

    /// <summary>A record's positional parameter is documented on the type; a property of a class on itself.</summary>
    public string? Property(Type type, string property) =>
        _members.TryGetValue($"T:{type.FullName}", out var member)
            && member.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property) is { } param
            ? Plain(param)
            : _members.TryGetValue($"P:{type.FullName}.{property}", out var own) ? Plain(own.Element("summary")) : null;

    private static string? Plain(XElement? element)
    {
        if (element is null)
        {
            return null;
        }
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText plain => plain.Value,
            XElement { Name.LocalName: "see" } see => Name((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? ""),
            XElement { Name.LocalName: "paramref" } reference => Camel((string?)reference.Attribute("name") ?? ""),
            XElement inner => inner.Value,
            _ => "",
        }));
        return Spaces().Replace(text, " ").Trim();
    }

    private static string Name(string cref) => cref[(cref.LastIndexOfAny(['.', ':']) + 1)..];

    private static string Camel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
