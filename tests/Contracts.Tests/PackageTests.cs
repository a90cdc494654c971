using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Contracts.Tests;

/// <summary>What <c>dotnet pack services/Contracts</c> promises subscribers: a SemVer package, documented, standing alone.</summary>
public sealed partial class PackageTests
{
    private static readonly XElement Project = XDocument.Load(Repository.PathOf("services/Contracts/TeamPlatform.Contracts.csproj")).Root!;

    private static string? Property(string name) => Project.Descendants(name).Select(e => e.Value).FirstOrDefault();

    [Fact]
    public void The_package_is_named_versioned_and_licensed()
    {
        Assert.Equal("TeamPlatform.Contracts", Property("PackageId"));
        Assert.Matches(SemVer(), Property("Version"));
        Assert.Equal("TeamPlatform", Property("Authors"));
        Assert.Equal("MIT", Property("PackageLicenseExpression"));
        Assert.False(string.IsNullOrWhiteSpace(Property("Description")));
        Assert.Equal("true", Property("Deterministic"));
        Assert.Equal("true", Property("GenerateDocumentationFile"));
    }

    [Fact]
    public void The_assembly_carries_the_package_version()
    {
        var informational = typeof(MemberRegistered).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.StartsWith(Property("Version")!, informational, StringComparison.Ordinal);
        Assert.Equal(Property("Version")!.Split('-')[0], typeof(MemberRegistered).Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void The_sample_subscriber_references_the_version_the_contracts_pack_as()
    {
        var sample = XDocument.Load(Repository.PathOf("samples/MembershipSubscriber/MembershipSubscriber.csproj")).Root!;

        var reference = sample.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "TeamPlatform.Contracts");

        Assert.Equal(Property("Version"), (string?)reference.Attribute("Version"));
    }

    [Fact]
    public void Every_public_type_and_property_is_documented()
    {
        var docs = XmlDocumentation.For(typeof(MemberRegistered).Assembly);
        var undocumented = typeof(MemberRegistered).Assembly.GetExportedTypes()
            .SelectMany(type => (docs.Summary(type) is null ? [type.FullName!] : Array.Empty<string>())
                .Concat(Schemas.Properties(type).Where(p => docs.Property(type, p.Name) is null).Select(p => $"{type.FullName}.{p.Name}")))
            .ToList();

        Assert.Empty(undocumented);
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();
}
