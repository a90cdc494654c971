using TeamPlatform.Contracts.V1;

namespace TeamPlatform.Notifications.Domain;

/// <summary>
/// The events an endpoint may subscribe to: every public event of an organisation (a record of the contracts with its
/// <c>OrgId</c> and <c>OccurredAt</c>), by record name, found in the contracts themselves so that a new event is
/// subscribable the day it ships.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary><c>MemberApprovalRequested</c> lists the phones of the admins it goes to: it stays on the broker.</summary>
    public static readonly IReadOnlySet<string> NotSubscribable = new HashSet<string>(StringComparer.Ordinal) { nameof(MemberApprovalRequested) };

    public static readonly IReadOnlyList<Type> Subscribable = [.. typeof(MemberRegistered).Assembly.GetExportedTypes()
        .Where(type => type.Namespace == typeof(MemberRegistered).Namespace
                       && type.IsSealed
                       && type.GetProperty(nameof(MemberRegistered.OrgId))?.PropertyType == typeof(Guid)
                       && type.GetProperty(nameof(MemberRegistered.OccurredAt))?.PropertyType == typeof(DateTimeOffset)
                       && !NotSubscribable.Contains(type.Name))
        .OrderBy(type => type.Name, StringComparer.Ordinal)];

    public static readonly IReadOnlyList<string> Names = [.. Subscribable.Select(type => type.Name)];

    public static bool IsSubscribable(string name) => Names.Contains(name, StringComparer.Ordinal);
}
