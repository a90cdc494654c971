using System.Text;
using System.Text.RegularExpressions;

namespace TeamPlatform.Architecture.Tests;

/// <summary>
/// What the rules read in a source: the code without comments and literals, the namespaces it imports and the
/// dotted names it writes. A reading of the text, not a compiler's: enough to see what a file names.
/// </summary>
public static partial class SourceText
{
    /// <summary>The code of a file with comments and string and character literals blanked out.</summary>
    public static string Code(SourceFile file) =>
        file.Path.EndsWith(".razor", StringComparison.Ordinal) ? RazorComment().Replace(file.Text, " ") : CSharpCode(file.Text);

    /// <summary>The namespaces a file imports: <c>using</c> (global, static or aliased) in C#, <c>@using</c> in Razor.</summary>
    public static IReadOnlyList<string> Imports(SourceFile file) =>
        [.. Using().Matches(Code(file)).Select(m => m.Groups["name"].Value)];

    /// <summary>Whether a file imports namespaces for the whole project (<c>global using</c>).</summary>
    public static IReadOnlyList<string> GlobalImports(SourceFile file) =>
        [.. Using().Matches(Code(file)).Where(m => m.Groups["global"].Success).Select(m => m.Groups["name"].Value)];

    /// <summary>Every dotted name of a file that starts with <paramref name="root"/> (in an import or written in full in code).</summary>
    public static IReadOnlyList<string> DottedNames(SourceFile file, string root) =>
        [.. Regex.Matches(Code(file), $@"(?<![\w.])(?:global::)?(?<name>{Regex.Escape(root)}(?:\s*\.\s*\w+)*)")
            .Select(m => Regex.Replace(m.Groups["name"].Value, @"\s+", ""))];

    /// <summary>The namespace a C# file declares (file-scoped or block), null when it declares none.</summary>
    public static string? DeclaredNamespace(SourceFile file) =>
        Namespace().Match(Code(file)) is { Success: true } match ? match.Groups["name"].Value : null;

    /// <summary>Names of the types a file declares.</summary>
    public static IEnumerable<string> DeclaredTypes(SourceFile file) =>
        TypeDeclaration().Matches(Code(file)).Select(m => m.Groups["name"].Value);

    /// <summary>
    /// Identifiers of a file's code that may name a type: not the member part of a dotted name, and not a name being
    /// declared (a member, parameter or local after its type, as <c>string Route</c>).
    /// </summary>
    public static IEnumerable<string> LeadingIdentifiers(SourceFile file)
    {
        var code = Code(file);
        foreach (var match in LeadingIdentifier().Matches(code).Cast<Match>())
        {
            var before = code.AsSpan(0, match.Index).TrimEnd();
            var declared = before.Length > 0 && (before[^1] == '?' || (before[^1] == '>' && !before.EndsWith("=>"))
                || ((char.IsLetterOrDigit(before[^1]) || before[^1] == '_') && !PrecedesAType.Contains(LastWord(before))));
            if (!declared)
            {
                yield return match.Value;
            }
        }
    }

    /// <summary>Words after which a name is used, not declared.</summary>
    private static readonly HashSet<string> PrecedesAType = new(StringComparer.Ordinal)
    {
        "return", "new", "is", "as", "case", "in", "await", "throw", "typeof", "nameof", "default", "out", "ref", "using", "static",
        "const", "readonly", "public", "private", "internal", "protected", "sealed", "abstract", "override", "virtual", "params",
        "this", "where", "when", "and", "or", "not", "else", "yield", "required", "partial", "async", "file", "scoped",
    };

    private static string LastWord(ReadOnlySpan<char> text)
    {
        var start = text.Length;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] == '_'))
        {
            start--;
        }
        return text[start..].ToString();
    }

    /// <summary>Whether a dotted name is the namespace itself or inside it.</summary>
    public static bool IsIn(string name, string @namespace) =>
        name == @namespace || name.StartsWith(@namespace + ".", StringComparison.Ordinal);

    private static string CSharpCode(string text)
    {
        var code = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = SkipTo(text, i, "\n");
            }
            else if (c == '/' && next == '*')
            {
                i = SkipTo(text, i + 2, "*/");
            }
            else if (c == '"' && At(text, i, "\"\"\""))
            {
                var quotes = 0;
                while (i + quotes < text.Length && text[i + quotes] == '"')
                {
                    quotes++;
                }
                i = SkipTo(text, i + quotes, new string('"', quotes));
            }
            else if ((c == '@' && next is '"' or '$') || (c == '$' && next == '@'))
            {
                i = SkipVerbatim(text, text.IndexOf('"', i) + 1);
            }
            else if (c is '"' or '\'')
            {
                i = SkipQuoted(text, i + 1, c);
            }
            else
            {
                code.Append(c);
                i++;
                continue;
            }
            code.Append(' ');
        }
        return code.ToString();
    }

    private static bool At(string text, int index, string value) => string.CompareOrdinal(text, index, value, 0, value.Length) == 0;

    private static int SkipTo(string text, int from, string end)
    {
        var found = text.IndexOf(end, from, StringComparison.Ordinal);
        return found < 0 ? text.Length : found + end.Length;
    }

    private static int SkipVerbatim(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    i++;
                    continue;
                }
                return i + 1;
            }
        }
        return text.Length;
    }

    private static int SkipQuoted(string text, int from, char quote)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote || text[i] == '\n')
            {
                return i + 1;
            }
        }
        return text.Length;
    }

    [GeneratedRegex(@"@\*.*?\*@|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"^\s*(?<global>global\s+)?@?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum|delegate\s+[\w<>?,\s]+?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?<![\w.@])[A-Z]\w*")]
    private static partial Regex LeadingIdentifier();
}
