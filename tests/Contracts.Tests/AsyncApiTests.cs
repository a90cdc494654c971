using TeamPlatform.Contracts.V1;
using Xunit;

namespace TeamPlatform.Contracts.Tests;

/// <summary>The committed AsyncAPI document is the one the records generate (TP_UPDATE_ASYNCAPI=1 rewrites it).</summary>
public sealed class AsyncApiTests
{
    private const string UpdateVariable = "TP_UPDATE_ASYNCAPI";

    private static readonly System.Reflection.Assembly Contracts = typeof(MemberRegistered).Assembly;

    private static string Generated() =>
        AsyncApiDocument.Generate(Contracts, Contracts.GetName().Version!.ToString(3));

    [Fact]
    public void The_committed_document_is_the_generated_one()
    {
        var path = Repository.PathOf(AsyncApiDocument.Path);
        var generated = Generated();
        if (Repository.AsksToUpdate(UpdateVariable))
        {
            File.WriteAllText(path, generated);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"{AsyncApiDocument.Path} is not the document the records generate: run the tests with {UpdateVariable}=1 and commit it.");
    }

    [Fact]
    public void Every_event_has_a_channel_on_its_exchange_an_operation_and_a_message()
    {
        var document = Generated();
        var events = AsyncApiDocument.Events(Contracts);

        Assert.Equal(18, events.Count);
        foreach (var type in events)
        {
            Assert.Contains($"\n    address: 'TeamPlatform.Contracts.V1:{type.Name}'\n", document, StringComparison.Ordinal);
            Assert.Contains($"\n  receive{type.Name}:\n    action: 'receive'\n", document, StringComparison.Ordinal);
            Assert.Contains($"\n    {type.Name}Envelope:\n", document, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("SendOtp", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchanges_are_named_as_MassTransit_names_them()
    {
        Assert.Equal("TeamPlatform.Contracts.V1:MemberAccessChanged", BusTopology.ExchangeOf(typeof(MemberAccessChanged)));
        Assert.Equal("urn:message:TeamPlatform.Contracts.V1:MemberAccessChanged", BusTopology.UrnOf(typeof(MemberAccessChanged)));
    }

    [Fact]
    public void Payload_schemas_follow_the_serialiser()
    {
        var docs = XmlDocumentation.For(Contracts);
        var schema = Yaml.Write(Schemas.Of(typeof(MemberAccessChanged), docs));

        Assert.Contains("\n  - 'memberId'\n", schema, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  - 'changedBy'\n", schema, StringComparison.Ordinal);
        Assert.Contains("  changedBy:\n    type:\n      - 'string'\n      - 'null'\n    format: 'uuid'\n", schema, StringComparison.Ordinal);
        Assert.Contains("  occurredAt:\n    type: 'string'\n    format: 'date-time'\n", schema, StringComparison.Ordinal);
        Assert.Contains("  revision:\n    type: 'integer'\n    format: 'int64'\n", schema, StringComparison.Ordinal);
        Assert.Contains("  groupIds:\n    type:\n      - 'array'\n      - 'null'\n    items:\n      type: 'string'\n      format: 'uuid'\n", schema, StringComparison.Ordinal);
        Assert.Contains("  isAdmin:\n    type: 'boolean'\n", schema, StringComparison.Ordinal);
    }
}
