using k8s.Models;
using Npgsql;

namespace TeamPlatform.Deployment.Tests;

/// <summary>The servers a process connects to, found from the connection strings its container gets.</summary>
public static class BackingServers
{
    public sealed record Connection(string Setting, string Host, int Port, string? Database, string? Username);

    public static List<Connection> ConnectionsOf(Rendering rendering, string process)
    {
        var connections = new List<Connection>();
        foreach (var (name, value) in ContainerEnvironment.Of(rendering, process).Variables.Where(v => v.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "amqp")
            {
                connections.Add(new Connection(name, uri.Host, uri.Port, null, Uri.UnescapeDataString(uri.UserInfo.Split(':')[0])));
            }
            else
            {
                var postgres = new NpgsqlConnectionStringBuilder(value);
                connections.Add(new Connection(name, postgres.Host!, postgres.Port, postgres.Database, postgres.Username));
            }
        }

        return connections;
    }

    /// <summary>The pod (as <see cref="NetworkReach"/> names it) and port behind each connection of <paramref name="process"/>.</summary>
    public static IEnumerable<(string Pod, int Port)> Of(Rendering rendering, string process) =>
        ConnectionsOf(rendering, process).Select(connection => Serving(rendering, connection));

    public static (string Pod, int Port) Serving(Rendering rendering, Connection connection)
    {
        if (rendering.All<PostgresCluster>().SingleOrDefault(c => c.ReadWriteService() == connection.Host) is { } cluster)
        {
            return (cluster.Metadata.Name, connection.Port);
        }

        if (rendering.All<RabbitmqCluster>().SingleOrDefault(c => c.ClientService() == connection.Host) is { } broker)
        {
            return (broker.Metadata.Name, connection.Port);
        }

        var service = rendering.Named<V1Service>(connection.Host)
            ?? throw new InvalidOperationException($"{connection.Setting} names {connection.Host}, which no Service or operator resource serves.");
        var servicePort = service.Spec.Ports.Single(p => p.Port == connection.Port);
        var workload = rendering.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template))
            .Concat(rendering.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template)))
            .Single(w => service.Spec.Selector.All(l => w.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
        var target = workload.Template.Spec.Containers.SelectMany(c => c.Ports)
            .Single(p => p.Name == servicePort.TargetPort.Value || p.ContainerPort.ToString() == servicePort.TargetPort.Value);
        return (workload.Name, target.ContainerPort);
    }
}
