using TeamPlatform.Notifications.Domain;
using Xunit;

namespace TeamPlatform.Notifications.Tests.Unit;

/// <summary>Events reach the directory out of order: only a newer one changes an entry.</summary>
public sealed class DirectoryTests
{
    private static readonly DateTimeOffset Then = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_older_organisation_event_does_not_undo_a_newer_one()
    {
        var organisation = OrganisationProfile.Create(Guid.NewGuid(), "Hope", "en", smsFallback: true, Then);
        organisation.Update("Espoir", "fr", smsFallback: false, Then.AddMinutes(2));
        organisation.Update("Hope", "en", smsFallback: true, Then.AddMinutes(1));

        Assert.Equal(("Espoir", "fr", false), (organisation.Name, organisation.Language, organisation.SmsFallback));
    }

    [Fact]
    public void An_older_member_event_does_not_undo_a_newer_phone()
    {
        var member = MemberContact.Create(Guid.NewGuid(), Guid.NewGuid(), "+254711000001", "amina", Then);
        member.Update("+254711000002", "amina", Then.AddMinutes(2));
        member.Update("+254711000001", "amina-old", Then.AddMinutes(1));

        Assert.Equal(("+254711000002", "amina"), (member.Phone, member.Username));
    }
}
