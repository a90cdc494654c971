using System.Xml.Linq;

namespace TeamPlatform.Architecture.Tests;

/// <summary>A source file: its path from the repository root, with '/' separators, and its text.</summary>
public sealed record SourceFile(string Path, string Text);

/// <summary>A project file as the rules read it.</summary>
public sealed record ProjectFile(string Path, string Sdk, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences, IReadOnlyList<string> ImplicitUsings)
{
    public string Directory => Path[..Path.LastIndexOf('/')];

    public bool IsWebProject => Sdk == "Microsoft.NET.Sdk.Web";

    /// <summary>Reads a project file; <paramref name="path"/> is from the repository root, and so are the references returned.</summary>
    public static ProjectFile Parse(string path, string xml)
    {
        var project = XDocument.Parse(xml).Root!;
        var directory = path[..path.LastIndexOf('/')];
        IReadOnlyList<string> Includes(string item) =>
            [.. project.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>()];
        return new ProjectFile(
            path,
            (string?)project.Attribute("Sdk") ?? "",
            [.. Includes("ProjectReference").Select(reference => Repository.Combine(directory, reference))],
            Includes("PackageReference"),
            Includes("FrameworkReference"),
            Includes("Using"));
    }
}

/// <summary>The working copy the tests run from: found by walking up to the solution file.</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "TeamPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No TeamPlatform.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => LazyRoot.Value;

    /// <summary>Every C# and Razor source of the product (services, ServiceDefaults, gateway), build output left out.</summary>
    public static IReadOnlyList<SourceFile> Sources { get; } = [.. Read("services", "*.cs"), .. Read("services", "*.razor"), .. Read("ServiceDefaults", "*.cs"), .. Read("gateway", "*.cs")];

    /// <summary>Every project of the product: services, their shared libraries, ServiceDefaults and the gateway.</summary>
    public static IReadOnlyList<ProjectFile> Projects { get; } =
        [.. new[] { "services", "ServiceDefaults", "gateway" }.SelectMany(folder => Read(folder, "*.csproj")).Select(file => ProjectFile.Parse(file.Path, file.Text))];

    /// <summary>The project a source file belongs to: the one in the nearest folder above it.</summary>
    public static ProjectFile ProjectOf(string sourcePath, IReadOnlyList<ProjectFile> projects) =>
        projects.Where(p => sourcePath.StartsWith(p.Directory + "/", StringComparison.Ordinal)).MaxBy(p => p.Directory.Length)
        ?? throw new InvalidOperationException($"{sourcePath} is in no project.");

    /// <summary>Resolves a relative path (with '..') against a folder; both from the repository root.</summary>
    public static string Combine(string directory, string relative)
    {
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }

    private static IEnumerable<SourceFile> Read(string folder, string pattern)
    {
        var top = System.IO.Path.Combine(Root, folder);
        return Directory.EnumerateFiles(top, pattern, SearchOption.AllDirectories)
            .Select(file => System.IO.Path.GetRelativePath(Root, file).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(path, File.ReadAllText(System.IO.Path.Combine(Root, path))));
    }
}
