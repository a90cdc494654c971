using System.Text.RegularExpressions;

namespace TeamPlatform.Architecture.Tests;

/// <summary>
/// The walls between the parts of the product, each a function from sources and project files to the violations
/// it finds (one sentence each), so that the tests can run them on the repository and on planted violations.
/// </summary>
public static partial class Rules
{
    /// <summary>What a domain may not use: the web, the database and the broker.</summary>
    public static readonly string[] OutsideTheDomain = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "MassTransit", "Npgsql"];

    /// <summary>
    /// A <c>Domain/</c> folder uses nothing of ASP.NET Core, EF Core or MassTransit: not by an import, not by a name written in
    /// full, not by a type name the web SDK imports implicitly, not through a namespace of the product that uses them, and
    /// no project with a domain imports them for all its files.
    /// </summary>
    public static IEnumerable<string> DomainStaysPlain(IReadOnlyList<SourceFile> sources, IReadOnlyList<ProjectFile> projects, IReadOnlySet<string> webSdkTypeNames)
    {
        var productTypes = sources.SelectMany(SourceText.DeclaredTypes).ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> OutsideNames(SourceFile file)
        {
            var written = OutsideTheDomain.SelectMany(outside => SourceText.DottedNames(file, outside.Split('.')[0])
                .Where(name => SourceText.IsIn(name, outside)));
            var implicitlyImported = Repository.ProjectOf(file.Path, projects).IsWebProject
                ? SourceText.LeadingIdentifiers(file).Where(name => webSdkTypeNames.Contains(name) && !productTypes.Contains(name))
                : [];
            return written.Concat(implicitlyImported).Distinct();
        }

        // A domain's own namespace is read file by file below; here only what it may import from elsewhere.
        var productNamespaces = sources.Where(file => !IsDomain(file))
            .Select(file => (Namespace: SourceText.DeclaredNamespace(file), File: file))
            .Where(declared => declared.Namespace is not null)
            .GroupBy(declared => declared.Namespace!, declared => declared.File)
            .ToDictionary(group => group.Key, group => group.SelectMany(OutsideNames).FirstOrDefault(), StringComparer.Ordinal);

        var domainNamespaces = sources.Where(IsDomain).Select(SourceText.DeclaredNamespace).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var file in sources.Where(IsDomain))
        {
            foreach (var name in OutsideNames(file))
            {
                yield return $"{file.Path} uses {name}";
            }
            foreach (var name in SourceText.DottedNames(file, "TeamPlatform").Distinct().Where(name => !domainNamespaces.Any(ns => SourceText.IsIn(name, ns))))
            {
                var owner = productNamespaces.Keys.Where(ns => SourceText.IsIn(name, ns)).MaxBy(ns => ns.Length);
                if (owner is not null && productNamespaces[owner] is { } outside)
                {
                    yield return $"{file.Path} uses {name}, whose namespace {owner} uses {outside}";
                }
            }
        }

        foreach (var project in projects.Where(p => sources.Any(file => IsDomain(file) && file.Path.StartsWith(p.Directory + "/", StringComparison.Ordinal))))
        {
            foreach (var import in project.ImplicitUsings.Where(IsOutsideTheDomain))
            {
                yield return $"{project.Path} imports {import} into every file, Domain/ included";
            }
            foreach (var file in sources.Where(file => file.Path.StartsWith(project.Directory + "/", StringComparison.Ordinal)))
            {
                foreach (var import in SourceText.GlobalImports(file).Where(IsOutsideTheDomain))
                {
                    yield return $"{file.Path} imports {import} into every file of {project.Path}, Domain/ included";
                }
            }
        }
    }

    /// <summary>
    /// A service (a web project) references no other service: what services share goes through the libraries
    /// (Contracts, Internal, Messaging, ServiceDefaults), and those reference no service either.
    /// </summary>
    public static IEnumerable<string> ServicesMeetThroughContracts(IReadOnlyList<ProjectFile> projects)
    {
        var byPath = projects.ToDictionary(p => p.Path, StringComparer.Ordinal);
        foreach (var project in projects)
        {
            foreach (var reference in project.ProjectReferences)
            {
                if (!byPath.TryGetValue(reference, out var referenced))
                {
                    yield return $"{project.Path} references {reference}, which is not a project of the product";
                }
                else if (referenced.IsWebProject)
                {
                    yield return $"{project.Path} references the service {reference}; services meet through Contracts and Internal";
                }
            }
        }
    }

    /// <summary>
    /// A file of <c>Features/X/</c> names no other use case <c>Features.Y</c>: what two use cases share lives in
    /// <c>Features/Shared</c> or in a file at the top of <c>Features/</c>. An <c>_Imports.razor</c> outside X does not
    /// import X for everyone.
    /// </summary>
    public static IEnumerable<string> FeaturesStayApart(IReadOnlyList<SourceFile> sources, IReadOnlyList<ProjectFile> projects)
    {
        foreach (var project in projects)
        {
            var featuresFolder = project.Directory + "/Features/";
            var rootNamespace = Path.GetFileNameWithoutExtension(project.Path) + ".Features";
            var inProject = sources.Where(file => Repository.ProjectOf(file.Path, projects) == project).ToList();
            var features = inProject
                .Where(file => file.Path.StartsWith(featuresFolder, StringComparison.Ordinal))
                .Select(file => file.Path[featuresFolder.Length..].Split('/'))
                .Where(parts => parts.Length > 1 && parts[0] != "Shared")
                .Select(parts => parts[0])
                .ToHashSet(StringComparer.Ordinal);

            foreach (var file in inProject)
            {
                var relative = file.Path.StartsWith(featuresFolder, StringComparison.Ordinal) ? file.Path[featuresFolder.Length..].Split('/') : [];
                var ownFeature = relative.Length > 1 ? relative[0] : null;
                var importsForOthers = file.Path.EndsWith("/_Imports.razor", StringComparison.Ordinal);
                if (ownFeature is null && !importsForOthers)
                {
                    continue;
                }
                if (ownFeature is not null && ownFeature != "Shared" && SourceText.DeclaredNamespace(file) is { } declared
                    && !SourceText.IsIn(declared, $"{rootNamespace}.{ownFeature}"))
                {
                    yield return $"{file.Path} declares namespace {declared}, not {rootNamespace}.{ownFeature}";
                }
                foreach (var name in SourceText.DottedNames(file, rootNamespace).Distinct().Where(name => name.Length > rootNamespace.Length))
                {
                    var parts = name[(rootNamespace.Length + 1)..].Split('.');
                    if (features.Contains(parts[0]) && parts[0] != ownFeature)
                    {
                        yield return $"{file.Path} reaches into the feature {parts[0]} ({name})";
                    }
                }
            }
        }
    }

    /// <summary>The public events reference nothing but the base class library: any consumer can take them.</summary>
    public static IEnumerable<string> ContractsStandAlone(IReadOnlyList<SourceFile> sources, ProjectFile contracts)
    {
        if (contracts.Sdk != "Microsoft.NET.Sdk")
        {
            yield return $"{contracts.Path} uses the SDK {contracts.Sdk}";
        }
        foreach (var reference in contracts.ProjectReferences.Concat(contracts.PackageReferences).Concat(contracts.FrameworkReferences).Concat(contracts.ImplicitUsings))
        {
            yield return $"{contracts.Path} references {reference}";
        }
        var own = Path.GetFileNameWithoutExtension(contracts.Path);
        foreach (var file in sources.Where(file => file.Path.StartsWith(contracts.Directory + "/", StringComparison.Ordinal)))
        {
            var imports = SourceText.Imports(file);
            foreach (var import in imports.Where(import => !SourceText.IsIn(import, "System") && !SourceText.IsIn(import, own)))
            {
                yield return $"{file.Path} imports {import}";
            }
            foreach (var name in new[] { "Microsoft", "MassTransit", "Npgsql", "TeamPlatform" }.SelectMany(root => SourceText.DottedNames(file, root))
                .Where(name => !SourceText.IsIn(name, own) && !imports.Contains(name)))
            {
                yield return $"{file.Path} uses {name}";
            }
        }
    }

    /// <summary>
    /// Routes are wired in one table per service (<c>XxxService.MapXxxEndpoints</c>), never from a feature: a feature
    /// holds its handler, the table says where it is mounted and what it requires (decision 0010).
    /// </summary>
    public static IEnumerable<string> RoutesInOneTable(IReadOnlyList<SourceFile> sources) =>
        sources.Where(file => file.Path.EndsWith(".cs", StringComparison.Ordinal) && file.Path.Split('/').Contains("Features"))
            .SelectMany(file => RouteMapping().Matches(SourceText.Code(file)).Select(m => $"{file.Path} maps a route ({m.Groups["call"].Value})"))
            .Distinct();

    /// <summary>
    /// "Caller" names no code: the member acting is the actor, the service calling an internal endpoint the calling service
    /// (decision 0010). Comments and literals may say it (the method's caller, the <c>X-Internal-Caller</c> header); the
    /// compiler's own <c>[CallerMemberName]</c> family is left alone.
    /// </summary>
    public static IEnumerable<string> NoCallerInNames(IReadOnlyList<SourceFile> sources) =>
        sources.SelectMany(file => CallerName().Matches(SourceText.Code(file))
                .Select(m => m.Value)
                .Where(name => !CompilerCallerAttributes.Contains(name))
                .Distinct()
                .Select(name => $"{file.Path} names {name}"));

    private static readonly HashSet<string> CompilerCallerAttributes = new(StringComparer.Ordinal)
    {
        "CallerMemberName", "CallerMemberNameAttribute", "CallerFilePath", "CallerFilePathAttribute",
        "CallerLineNumber", "CallerLineNumberAttribute", "CallerArgumentExpression", "CallerArgumentExpressionAttribute",
    };

    [GeneratedRegex(@"\.\s*(?<call>Map(?:Get|Post|Put|Patch|Delete|Methods|Group|Fallback))\s*\(")]
    private static partial Regex RouteMapping();

    [GeneratedRegex(@"\b\w*[Cc]aller\w*\b")]
    private static partial Regex CallerName();

    private static bool IsDomain(SourceFile file) =>
        file.Path.StartsWith("services/", StringComparison.Ordinal) && file.Path.Split('/') is [_, _, "Domain", ..];

    private static bool IsOutsideTheDomain(string @namespace) => OutsideTheDomain.Any(outside => SourceText.IsIn(@namespace, outside));
}
