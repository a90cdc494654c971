using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// Secrets that are not in a rendering because someone else makes them: the operator of the cluster, by the
/// <c>kubectl create secret</c> commands of the README's Deploying section (so the README and the manifests are
/// checked against each other), and the database and broker operators, after the resources that ask for them.
/// Values unknown here (generated, or the provider's) are stood in for by random ones of the same form.
/// </summary>
public static partial class SecretsMadeOutside
{
    public static Dictionary<string, Dictionary<string, string>> For(Rendering rendering)
    {
        var secrets = FromReadme(rendering.Overlay);
        foreach (var cluster in rendering.All<PostgresCluster>())
        {
            secrets[cluster.ApplicationSecret()] = PostgresCluster.ApplicationSecretKeys.ToDictionary(key => key, key => key == "username"
                ? cluster.Spec.Bootstrap?.Initdb?.Owner ?? "app"
                : RandomHex(16));
        }

        foreach (var broker in rendering.All<RabbitmqCluster>())
        {
            secrets[broker.DefaultUserSecret()] = RabbitmqCluster.DefaultUserSecretKeys.ToDictionary(key => key, _ => RandomHex(16));
        }

        return secrets;
    }

    /// <summary>The Secrets the README's steps for <paramref name="overlay"/> create, with their keys.</summary>
    public static Dictionary<string, Dictionary<string, string>> FromReadme(Overlay overlay)
    {
        var secrets = new Dictionary<string, Dictionary<string, string>>();
        foreach (var command in Commands(ReadmeSteps(overlay)))
        {
            if (CreateGeneric().Match(command) is { Success: true } generic)
            {
                secrets[generic.Groups["name"].Value] = FromLiteral().Matches(command)
                    .ToDictionary(literal => literal.Groups["key"].Value, literal => StandIn(literal.Groups["value"].Value));
            }
            else if (CreateTls().Match(command) is { Success: true } tls)
            {
                secrets[tls.Groups["name"].Value] = new() { ["tls.crt"] = "certificate", ["tls.key"] = "key" };
            }
        }

        return secrets;
    }

    /// <summary>The README's subsection for the overlay: <c>### Development overlay…</c> or <c>### Production overlay…</c>.</summary>
    public static string ReadmeSteps(Overlay overlay)
    {
        var readme = Repository.Read("README.md");
        var heading = $"### {overlay} overlay";
        var start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no heading '{heading}'.");
        var end = readme.IndexOf("\n## ", start, StringComparison.Ordinal) is var chapter and >= 0 ? chapter : readme.Length;
        var next = readme.IndexOf("\n### ", start + heading.Length, StringComparison.Ordinal);
        return readme[start..(next >= 0 && next < end ? next : end)];
    }

    // Shell lines continued with a backslash are one command.
    private static IEnumerable<string> Commands(string text) =>
        text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("kubectl ", StringComparison.Ordinal));

    private static string StandIn(string value)
    {
        value = value.Trim('"', '\'');
        return OpensslRandHex().Match(value) is { Success: true } random ? RandomHex(int.Parse(random.Groups["bytes"].Value)) : value;
    }

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    [GeneratedRegex(@"\bcreate secret generic (?<name>[a-z0-9-]+)")]
    private static partial Regex CreateGeneric();

    [GeneratedRegex(@"\bcreate secret tls (?<name>[a-z0-9-]+)")]
    private static partial Regex CreateTls();

    [GeneratedRegex(@"--from-literal=(?<key>[A-Za-z0-9_.-]+)=(?<value>""[^""]*""|'[^']*'|\S+)")]
    private static partial Regex FromLiteral();

    [GeneratedRegex(@"^\$\(openssl rand -hex (?<bytes>[0-9]+)\)$")]
    private static partial Regex OpensslRandHex();
}
