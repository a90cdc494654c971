using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace TeamPlatform.Deployment.Tests;

/// <summary>
/// The environment a process's container starts with, worked out as the kubelet does: <c>envFrom</c> first, then
/// <c>env</c> in order, <c>$(NAME)</c> replaced by a variable defined before it. Every ConfigMap, Secret and key it
/// names must exist (in the rendering, or made outside it: <see cref="SecretsMadeOutside"/>); each one missing is a problem.
/// </summary>
public sealed partial class ContainerEnvironment
{
    private ContainerEnvironment(Dictionary<string, string> variables, List<string> problems)
    {
        Variables = variables;
        Problems = problems;
    }

    public Dictionary<string, string> Variables { get; }

    public List<string> Problems { get; }

    public static ContainerEnvironment Of(Rendering rendering, string process) =>
        Of(rendering, rendering.Container(process), SecretsMadeOutside.For(rendering));

    public static ContainerEnvironment Of(Rendering rendering, V1Container container, Dictionary<string, Dictionary<string, string>> outside)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (var source in container.EnvFrom ?? [])
        {
            var values = source.ConfigMapRef is { } configMap
                ? ConfigMap(rendering, configMap.Name)
                : Secret(rendering, source.SecretRef.Name, outside);
            if (values is null)
            {
                problems.Add($"{container.Name}: envFrom names {(source.ConfigMapRef is null ? "Secret" : "ConfigMap")} {source.ConfigMapRef?.Name ?? source.SecretRef.Name}, which does not exist.");
                continue;
            }

            foreach (var (key, value) in values)
            {
                variables[(source.Prefix ?? "") + key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? "", variables, problems, container.Name, variable.Name),
                { SecretKeyRef: { } reference } => Secret(rendering, reference.Name, outside)?.GetValueOrDefault(reference.Key),
                { ConfigMapKeyRef: { } reference } => ConfigMap(rendering, reference.Name)?.GetValueOrDefault(reference.Key),
                { FieldRef.FieldPath: "metadata.name" } => $"{container.Name}-5d8f7c9b4-x7k2p",
                _ => null,
            };
            if (value is null)
            {
                problems.Add($"{container.Name}: {variable.Name} refers to {Describe(variable.ValueFrom!)}, which does not exist.");
                continue;
            }

            variables[variable.Name] = value;
        }

        return new ContainerEnvironment(variables, problems);
    }

    /// <summary>The ASP.NET Core configuration these variables make (<c>__</c> is <c>:</c>).</summary>
    public Dictionary<string, string?> Configuration() =>
        Variables.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string>? ConfigMap(Rendering rendering, string name) =>
        rendering.Named<V1ConfigMap>(name) is { } configMap ? new Dictionary<string, string>(configMap.Data ?? new Dictionary<string, string>()) : null;

    private static Dictionary<string, string>? Secret(Rendering rendering, string name, Dictionary<string, Dictionary<string, string>> outside)
    {
        if (rendering.Named<V1Secret>(name) is { } secret)
        {
            var values = (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value));
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                values[key] = value;
            }

            return values;
        }

        return outside.GetValueOrDefault(name);
    }

    private static string Expand(string value, Dictionary<string, string> variables, List<string> problems, string container, string name) =>
        Reference().Replace(value, match =>
        {
            if (match.Value.StartsWith("$$", StringComparison.Ordinal))
            {
                return match.Value[1..];
            }

            if (variables.TryGetValue(match.Groups["name"].Value, out var defined))
            {
                return defined;
            }

            problems.Add($"{container}: {name} uses $({match.Groups["name"].Value}), which is not defined before it.");
            return match.Value;
        });

    private static string Describe(V1EnvVarSource source) => source switch
    {
        { SecretKeyRef: { } reference } => $"key {reference.Key} of Secret {reference.Name}",
        { ConfigMapKeyRef: { } reference } => $"key {reference.Key} of ConfigMap {reference.Name}",
        { FieldRef: { } field } => $"field {field.FieldPath}",
        _ => "a source these tests do not know",
    };

    [GeneratedRegex(@"\$?\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
