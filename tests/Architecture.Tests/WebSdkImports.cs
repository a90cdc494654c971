using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TeamPlatform.Architecture.Tests;

/// <summary>
/// The ASP.NET Core type names a file of a web project may write without any <c>using</c>: the web SDK imports
/// these namespaces into every file, <c>Domain/</c> included, so reading usings alone would miss them.
/// </summary>
public static class WebSdkImports
{
    public static readonly string[] Namespaces =
        ["Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing"];

    public static IReadOnlySet<string> TypeNames { get; } = Read();

    private static HashSet<string> Read()
    {
        var sharedFramework = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.StatusCodes).Assembly.Location)!;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in Directory.EnumerateFiles(sharedFramework, "Microsoft.AspNetCore*.dll"))
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            if (!pe.HasMetadata)
            {
                continue;
            }
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                if ((type.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public
                    && Namespaces.Contains(metadata.GetString(type.Namespace)))
                {
                    names.Add(metadata.GetString(type.Name).Split('`')[0]);
                }
            }
        }
        return names;
    }
}
