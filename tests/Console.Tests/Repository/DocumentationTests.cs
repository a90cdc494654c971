using System.Text.RegularExpressions;
using Xunit;

namespace TeamPlatform.Console.Tests.Repository;

/// <summary>
/// The repository explains itself: its sources and docs point at its own docs (docs/product.md and the pages beside
/// it), never at a specification kept elsewhere, and every page and heading they point at exists. Kept in this
/// project because it starts no server: the scan costs a second of every test run.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = FindRoot();

    private static readonly string[] ScannedFolders = ["services", "gateway", "edge", "ServiceDefaults", "AppHost", "tests", "bench", "deploy", "scripts", "docs"];

    private static readonly string[] ScannedRootFiles = ["README.md", "run.sh", "test.sh"];

    private static readonly HashSet<string> ScannedExtensions =
        [".cs", ".razor", ".md", ".json", ".sh", ".yaml", ".yml", ".props", ".csproj", ".css", ".js"];

    private static readonly HashSet<string> SkippedFolders = ["bin", "obj", "node_modules", "lib", "TestResults"];

    [Fact]
    public void No_source_or_doc_cites_the_outside_specification_or_its_requirement_numbers()
    {
        var citations = Files()
            .SelectMany(file => Lines(file)
                .Where(line => OutsideCitation().IsMatch(line.Text))
                .Select(line => $"{Relative(file)}:{line.Number}: {line.Text.Trim()}"))
            .ToList();

        Assert.True(citations.Count == 0,
            "Point at docs/*.md#heading or a decision instead; these cite a document the repository does not hold:\n"
            + string.Join('\n', citations));
    }

    [Fact]
    public void Every_page_and_heading_the_sources_and_docs_point_at_exists()
    {
        var broken = new List<string>();
        foreach (var file in Files())
        {
            foreach (var line in Lines(file))
            {
                foreach (Match reference in RootRelativeDocReference().Matches(line.Text))
                {
                    Check(file, line.Number, Path.Combine(Root, reference.Groups["path"].Value), reference.Groups["anchor"].Value, reference.Value, broken);
                }

                if (file.EndsWith(".md", StringComparison.Ordinal))
                {
                    foreach (Match link in MarkdownLink().Matches(line.Text))
                    {
                        var target = link.Groups["target"].Value;
                        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var hash = target.IndexOf('#', StringComparison.Ordinal);
                        var path = hash < 0 ? target : target[..hash];
                        var anchor = hash < 0 ? "" : target[(hash + 1)..];
                        var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
                        Check(file, line.Number, resolved, anchor, target, broken);
                    }
                }
            }
        }

        Assert.True(broken.Count == 0, "These point at a page or heading that does not exist:\n" + string.Join('\n', broken));
    }

    [Theory]
    [InlineData("## Check semantics", "check-semantics")]
    [InlineData("## Revisions: read your writes", "revisions-read-your-writes")]
    [InlineData("## Events (outbox, `TeamPlatform.Contracts.V1`)", "events-outbox-teamplatformcontractsv1")]
    [InlineData("### `POST /internal/members` — identity, at OTP verification", "post-internalmembers--identity-at-otp-verification")]
    public void Headings_get_the_anchors_a_markdown_viewer_gives_them(string heading, string anchor) =>
        Assert.Contains(anchor, Anchors([heading]));

    private static void Check(string file, int line, string target, string anchor, string written, List<string> broken)
    {
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            broken.Add($"{Relative(file)}:{line}: {written} (no such file)");
        }
        else if (anchor.Length > 0 && target.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllLines(target)).Contains(anchor))
        {
            broken.Add($"{Relative(file)}:{line}: {written} (no heading #{anchor} in {Relative(target)})");
        }
    }

    /// <summary>The anchors a markdown viewer gives the headings outside code blocks, a repeated one suffixed -1, -2…</summary>
    private static HashSet<string> Anchors(IEnumerable<string> lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            var heading = Heading().Match(line);
            if (inCode || !heading.Success)
            {
                continue;
            }

            var slug = NotInAnchor().Replace(heading.Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var unique = slug;
            for (var repeat = 1; !anchors.Add(unique); repeat++)
            {
                unique = $"{slug}-{repeat}";
            }
        }

        return anchors;
    }

    private static IEnumerable<string> Files()
    {
        var inFolders = ScannedFolders
            .Select(folder => Path.Combine(Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => !Relative(file).Split('/').Any(SkippedFolders.Contains));
        return inFolders
            .Concat(ScannedRootFiles.Select(file => Path.Combine(Root, file)).Where(File.Exists))
            .Where(file => ScannedExtensions.Contains(Path.GetExtension(file)))
            .Order(StringComparer.Ordinal);
    }

    private static IEnumerable<(int Number, string Text)> Lines(string file) =>
        File.ReadLines(file).Select((text, index) => (index + 1, text));

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "TeamPlatform.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No TeamPlatform.sln above {AppContext.BaseDirectory}.");
    }

    // "S[P]EC" and "\u00A7" keep this file from matching itself. Requirement numbers: G or L and one or two digits.
    [GeneratedRegex(@"\bS[P]EC\b|\u00A7|\b(G([1-9]|1[0-8])|L([1-9]|1[0-9]|2[0-6]))\b")]
    private static partial Regex OutsideCitation();

    [GeneratedRegex(@"(?<![\w/.])(?<path>docs/[\w./-]*?\.md)(#(?<anchor>[\w-]+))?")]
    private static partial Regex RootRelativeDocReference();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]")]
    private static partial Regex NotInAnchor();
}
