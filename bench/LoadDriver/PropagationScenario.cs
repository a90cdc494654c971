using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TeamPlatform.LoadDriver;

/// <summary>
/// A change made on one permission replica until the other replica answers the new state (without
/// <c>minRevision</c>), over many changes, beside the bare broker round trip measured in the same run.
/// Needs the system started with two replicas (<c>Replicas__permission=2 ./run.sh</c>): <c>--direct</c> is
/// the replica that takes the change, <c>--replica</c> the one that is asked.
/// </summary>
public static class PropagationScenario
{
    public static async Task RunAsync(DriverOptions options)
    {
        using var gateway = options.Client();
        using var first = options.Client(options.Direct ?? throw new ArgumentException("--direct (the replica that takes changes) is required"));
        using var second = options.Client(options.Replica ?? throw new ArgumentException("--replica (the replica that is asked) is required"));
        var team = await Team.CreateAsync(gateway);
        var admin = team.Org.Creator;
        var samples = new List<double>(options.Tries);

        for (var attempt = 0; attempt < options.Tries; attempt++)
        {
            var group = attempt % 2 == 0 ? team.OtherGroup : team.GrantedGroup;
            using var change = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{team.Staff.MemberId}/access")
            {
                Content = JsonBody.Of(new { role = "staff", groupIds = new[] { group } }),
            };
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
            using (var changed = await first.SendAsync(change))
            {
                changed.EnsureSuccessStatusCode();
            }

            var started = Stopwatch.GetTimestamp();
            while (!await AllowedAsync(second, team.Staff.AccessToken!, group))
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("the other replica did not see the change within 10 s");
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(LatencyReport.Of("change on one replica → the other answers it", [.. samples], 0, TimeSpan.FromSeconds(1), null));
        Console.WriteLine(await BrokerRoundTripAsync(options.Tries));
    }

    private static async Task<bool> AllowedAsync(HttpClient replica, string token, string group)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permissions/check")
        {
            Content = JsonBody.Of(new { permission = "message_inbox", groupIds = new[] { group } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await replica.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean();
    }

    /// <summary>Publish → consume on a temporary queue of the local broker: the floor under any propagation.</summary>
    private static async Task<LatencyReport> BrokerRoundTripAsync(int tries)
    {
        var factory = new ConnectionFactory { Uri = new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@127.0.0.1:5672/") };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true, autoDelete: true)).QueueName;
        var received = new SemaphoreSlim(0);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, _) =>
        {
            received.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var samples = new double[tries];
        for (var i = 0; i < tries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await channel.BasicPublishAsync("", queue, new byte[64]);
            await received.WaitAsync();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return LatencyReport.Of("bare broker round trip (publish → consume)", samples, 0, TimeSpan.FromMilliseconds(samples.Sum()), null);
    }
}
