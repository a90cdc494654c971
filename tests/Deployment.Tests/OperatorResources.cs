using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace TeamPlatform.Deployment.Tests;

// The operators' resources, as far as the overlays use them: strict loading refuses any other field, so a field
// added to the manifests must be added here, checked against the operator's reference first. What the operators make
// for a resource are methods, not properties, so that a copy written back to YAML holds only the resource.

/// <summary>CloudNativePG's <c>Cluster</c> (postgresql.cnpg.io/v1).</summary>
public sealed class PostgresCluster : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroupAndVersion = "postgresql.cnpg.io/v1";
    public const string KubeKind = "Cluster";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroupAndVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public PostgresClusterSpec Spec { get; set; } = new();

    /// <summary>The Service of the primary, which the operator creates.</summary>
    public string ReadWriteService() => $"{Metadata.Name}-rw";

    /// <summary>The Secret of the application's database owner, which the operator creates.</summary>
    public string ApplicationSecret() => $"{Metadata.Name}-app";

    /// <summary>The keys of <see cref="ApplicationSecret"/> (a basic-auth Secret with the connection's parts).</summary>
    public static readonly string[] ApplicationSecretKeys = ["username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass"];
}

public sealed class PostgresClusterSpec
{
    [JsonPropertyName("instances")]
    public int Instances { get; set; }

    [JsonPropertyName("imageName")]
    public string? ImageName { get; set; }

    [JsonPropertyName("primaryUpdateStrategy")]
    public string? PrimaryUpdateStrategy { get; set; }

    [JsonPropertyName("bootstrap")]
    public PostgresBootstrap? Bootstrap { get; set; }

    [JsonPropertyName("storage")]
    public PostgresStorage? Storage { get; set; }

    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; set; }
}

public sealed class PostgresBootstrap
{
    [JsonPropertyName("initdb")]
    public PostgresInitdb? Initdb { get; set; }
}

public sealed class PostgresInitdb
{
    [JsonPropertyName("database")]
    public string? Database { get; set; }

    [JsonPropertyName("owner")]
    public string? Owner { get; set; }
}

public sealed class PostgresStorage
{
    [JsonPropertyName("size")]
    public string? Size { get; set; }
}

/// <summary>The RabbitMQ Cluster Operator's <c>RabbitmqCluster</c> (rabbitmq.com/v1beta1).</summary>
public sealed class RabbitmqCluster : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroupAndVersion = "rabbitmq.com/v1beta1";
    public const string KubeKind = "RabbitmqCluster";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroupAndVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public RabbitmqClusterSpec Spec { get; set; } = new();

    /// <summary>The client Service, which the operator names after the cluster.</summary>
    public string ClientService() => Metadata.Name;

    /// <summary>The Secret of the default user, which the operator creates.</summary>
    public string DefaultUserSecret() => $"{Metadata.Name}-default-user";

    public static readonly string[] DefaultUserSecretKeys = ["username", "password", "host", "port", "provider", "type", "default_user.conf"];
}

public sealed class RabbitmqClusterSpec
{
    [JsonPropertyName("replicas")]
    public int Replicas { get; set; } = 1;

    [JsonPropertyName("image")]
    public string? Image { get; set; }

    [JsonPropertyName("persistence")]
    public RabbitmqPersistence? Persistence { get; set; }

    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; set; }
}

public sealed class RabbitmqPersistence
{
    [JsonPropertyName("storage")]
    public string? Storage { get; set; }
}
