using k8s.Models;
using Xunit;

namespace TeamPlatform.Deployment.Tests;

public sealed class BackingServerTests
{
    [Fact]
    public void Production_runs_postgresql_and_rabbitmq_through_their_operators_and_never_as_statefulsets_of_its_own()
    {
        Assert.Empty(ProductionProblems(Rendering.Committed(Overlay.Production)));
    }

    [Fact]
    public void A_database_name_that_differs_from_its_cluster_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Production).Copy();
        rendering.All<PostgresCluster>().Single(c => c.Metadata.Name == "invitation-db").Spec.Bootstrap!.Initdb!.Database = "invitations";

        Assert.Contains("invitation: ConnectionStrings__invitationdb names database invitation, but invitation-db makes invitations.", ProductionProblems(rendering));
    }

    [Fact]
    public void A_hand_rolled_statefulset_in_production_is_found()
    {
        var rendering = Rendering.Committed(Overlay.Production).Copy();
        rendering.Objects.Add(Rendering.Committed(Overlay.Development).Named<V1StatefulSet>("postgres")!);

        Assert.Contains("StatefulSet postgres: production runs its servers through their operators.", ProductionProblems(rendering));
    }

    [Fact]
    public void Development_runs_one_postgresql_and_one_rabbitmq_in_the_namespace_that_every_connection_reaches()
    {
        var rendering = Rendering.Committed(Overlay.Development);

        Assert.All(rendering.All<V1StatefulSet>(), server => Assert.Equal(1, server.Spec.Replicas));
        var servers = Process.All.SelectMany(p => BackingServers.Of(rendering, p.Name)).ToHashSet();
        Assert.Equal(new HashSet<(string, int)> { ("postgres", 5432), ("rabbitmq", 5672) }, servers);
    }

    private static List<string> ProductionProblems(Rendering rendering)
    {
        var problems = rendering.All<V1StatefulSet>().Select(s => $"StatefulSet {s.Metadata.Name}: production runs its servers through their operators.").ToList();
        foreach (var process in Process.All)
        {
            foreach (var connection in BackingServers.ConnectionsOf(rendering, process.Name))
            {
                if (rendering.All<PostgresCluster>().SingleOrDefault(c => c.ReadWriteService() == connection.Host) is { } cluster)
                {
                    if (cluster.Spec.Bootstrap?.Initdb?.Database != connection.Database)
                    {
                        problems.Add($"{process}: {connection.Setting} names database {connection.Database}, but {cluster.Metadata.Name} makes {cluster.Spec.Bootstrap?.Initdb?.Database}.");
                    }

                    if (cluster.Spec.Instances < 2)
                    {
                        problems.Add($"{cluster.Metadata.Name}: {cluster.Spec.Instances} instance, no standby.");
                    }
                }
                else if (rendering.All<RabbitmqCluster>().SingleOrDefault(c => c.ClientService() == connection.Host) is { } broker)
                {
                    if (broker.Spec.Replicas < 3)
                    {
                        problems.Add($"{broker.Metadata.Name}: {broker.Spec.Replicas} nodes; quorum queues need three.");
                    }
                }
                else
                {
                    problems.Add($"{process}: {connection.Setting} names {connection.Host}, which no operator resource serves.");
                }
            }
        }

        return problems;
    }
}
