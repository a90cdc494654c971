namespace TeamPlatform.System.Tests.Fuzz;

/// <summary>The ids of one seeded organisation that generated requests may name.</summary>
/// <param name="MemberIds">Members other than the admin whose token sends requests: a write may change them.</param>
public sealed record OrganisationIds(
    string Slug,
    Guid OrgId,
    IReadOnlyList<Guid> MemberIds,
    IReadOnlyList<Guid> GroupIds,
    IReadOnlyList<Guid> InvitationIds,
    IReadOnlyList<string> Phones)
{
    /// <summary>Every identifier of the organisation as it appears in an answer: ids and phones.</summary>
    public IEnumerable<string> Identifiers =>
        new[] { OrgId }.Concat(MemberIds).Concat(GroupIds).Concat(InvitationIds).Select(id => id.ToString()).Concat(Phones);
}

/// <summary>
/// What the generator draws ids and tokens from: <see cref="Writable"/> takes the valid writes; <see cref="A"/> is
/// only sent requests that must be refused; <see cref="B"/> is only named, never acted for.
/// </summary>
public sealed record FuzzWorld(
    OrganisationIds Writable,
    OrganisationIds A,
    OrganisationIds B,
    IReadOnlyList<Guid> RegistrationIds,
    IReadOnlyList<Guid> PasswordResetIds,
    IReadOnlyDictionary<Caller, IReadOnlyList<string>> Tokens);
