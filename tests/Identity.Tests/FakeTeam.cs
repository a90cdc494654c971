using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Testing;
using PermissionDomain = TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// The permission and invitation services' internal APIs as docs/internal-api.md describes them, in memory:
/// members created idempotently on the registration id under a lock per organisation, by the permission
/// service's own rule (<see cref="PermissionDomain.Organisation.Register"/>: who is an admin, who waits for
/// approval), member lookups, checks, and invitation tokens validated and accepted once. Requests and answers are
/// the services' own records (TeamPlatform.Internal).
/// </summary>
public sealed class FakeTeam : HttpMessageHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object _lock = new();
    private readonly Dictionary<Guid, Member> _members = [];
    private readonly Dictionary<Guid, Guid> _memberByRegistration = [];
    private readonly Dictionary<Guid, PermissionDomain.Organisation> _organisations = [];
    private readonly ConcurrentDictionary<string, Invitation> _invitations = [];
    private int _failMemberCreations;
    private int _effectivePermissionsCalls;

    public sealed record Member(Guid Id, Guid OrgId, string Username, string Phone, string Status, bool IsAdmin, string Role, string Via, PermissionDomain.Access Access);

    public sealed record Invitation(Guid Id, Guid OrgId, string Phone, string State, Guid? AcceptedBy);

    /// <summary>How many times permission was asked to create a member (idempotent repeats included).</summary>
    public int MemberCreations { get; private set; }

    /// <summary>How many times permission was asked for a member's effective permissions.</summary>
    public int EffectivePermissionsCalls => Volatile.Read(ref _effectivePermissionsCalls);

    public IReadOnlyList<Member> Members
    {
        get
        {
            lock (_lock)
            {
                return [.. _members.Values];
            }
        }
    }

    public Member MemberOf(Guid memberId)
    {
        lock (_lock)
        {
            return _members[memberId];
        }
    }

    public void SetStatus(Guid memberId, string status)
    {
        lock (_lock)
        {
            _members[memberId] = _members[memberId] with { Status = status, IsAdmin = status == MemberStatuses.Active && _members[memberId].IsAdmin };
        }
    }

    public void Approve(Guid memberId) => SetStatus(memberId, MemberStatuses.Active);

    /// <summary>While set, every call to permission waits until the caller gives up, as a permission service that hangs would.</summary>
    public bool PermissionHangs { get; set; }

    /// <summary>Runs after permission created a member and before identity reads the answer.</summary>
    public Func<Task>? AfterMemberCreated { get; set; }

    /// <summary>The next <paramref name="times"/> member creations fail as if permission were down.</summary>
    public void FailMemberCreations(int times) => Interlocked.Exchange(ref _failMemberCreations, times);

    /// <summary>An invitation for <paramref name="phone"/>; returns its token.</summary>
    public string Invite(Guid orgId, string phone, string state = "pending")
    {
        var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');
        _invitations[token] = new Invitation(Guid.NewGuid(), orgId, phone, state, null);
        return token;
    }

    public Invitation InvitationOf(string token) => _invitations[token];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("X-Internal-Key", out var keys) is false || keys.Single() != ServiceHost<Infrastructure.IdentityDbContext>.InternalKey)
        {
            return Problem(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        var path = request.RequestUri!.AbsolutePath;
        var host = request.RequestUri.Host;
        if (host == ServiceNames.Permission && PermissionHangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        // Read as text: the resilience handler may send the same request (and content) again.
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var answer = (host, request.Method.Method, segments) switch
        {
            (ServiceNames.Permission, "POST", ["internal", "members"]) => CreateMember(Read<RegisterMemberRequest>(body)),
            (ServiceNames.Permission, "GET", ["internal", "orgs", var org, "members", var member]) => GetMember(Guid.Parse(org), Guid.Parse(member), effective: false),
            (ServiceNames.Permission, "GET", ["internal", "orgs", var org, "members", var member, "effective-permissions"]) => GetMember(Guid.Parse(org), Guid.Parse(member), effective: true),
            (ServiceNames.Permission, "POST", ["internal", "permissions", "check"]) => Check(Read<PermissionCheckRequest>(body)),
            (ServiceNames.Invitation, "POST", ["internal", "invitations", "validate"]) => Validate(Read<ValidateInvitationRequest>(body)),
            (ServiceNames.Invitation, "POST", ["internal", "invitations", "accept"]) => Accept(Read<AcceptInvitationRequest>(body)),
            _ => Problem(HttpStatusCode.NotFound, "not_found"),
        };
        if (segments is ["internal", "members"] && answer.IsSuccessStatusCode && AfterMemberCreated is { } afterCreated)
        {
            await afterCreated();
        }

        return answer;
    }

    // HttpClientFactory disposes handlers when their lifetime ends; the base holds nothing, so this one lives on.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);

    private HttpResponseMessage CreateMember(RegisterMemberRequest request)
    {
        var (registrationId, orgId) = (request.RegistrationId, request.OrgId);
        var (username, phone, via, autoAdminCount) = (request.Username!, request.Phone!, request.Via!, request.AutoAdminCount!.Value);
        if (Interlocked.Decrement(ref _failMemberCreations) >= 0)
        {
            return Problem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        }

        lock (_lock)
        {
            MemberCreations++;
            if (_memberByRegistration.TryGetValue(registrationId, out var existing))
            {
                return Created(_members[existing]);
            }

            if (_members.Values.Any(m => m.OrgId == orgId && m.Phone == phone && m.Status != MemberStatuses.Removed))
            {
                return Problem(HttpStatusCode.Conflict, "already_member");
            }

            var now = DateTimeOffset.UtcNow;
            if (!_organisations.TryGetValue(orgId, out var organisation))
            {
                _organisations[orgId] = organisation = PermissionDomain.Organisation.Create(orgId, autoAdminCount, now);
            }

            organisation.ApplySettings(autoAdminCount, now);
            if (PermissionDomain.AccessDocument.Read(request.Access, out var document) is not null)
            {
                return Problem(HttpStatusCode.BadRequest, "validation_failed");
            }

            PermissionDomain.Access? invitedAccess = null;
            if (document is not null)
            {
                if (document.Resolve(PermissionDomain.Access.Nothing, out var resolved) is not null)
                {
                    return Problem(HttpStatusCode.BadRequest, "validation_failed");
                }

                invitedAccess = resolved;
            }

            var registered = organisation.Register(
                new PermissionDomain.MemberRegistration(registrationId, username, phone, via, request.InvitationId, request.InvitedBy, invitedAccess),
                now);
            var member = new Member(
                registered.Id, orgId, username, phone, PermissionDomain.MemberStatusNames.NameOf(registered.Status), registered.IsAdmin, registered.Role, via,
                registered.Access);
            _members[member.Id] = member;
            _memberByRegistration[registrationId] = member.Id;
            return Created(member);
        }
    }

    private HttpResponseMessage GetMember(Guid orgId, Guid memberId, bool effective)
    {
        if (effective)
        {
            Interlocked.Increment(ref _effectivePermissionsCalls);
        }

        lock (_lock)
        {
            if (!_members.TryGetValue(memberId, out var member) || member.OrgId != orgId)
            {
                return Problem(HttpStatusCode.NotFound, "not_found");
            }

            return effective
                ? Answer(new EffectivePermissionsResponse(
                    memberId, member.Status, member.Role, member.IsAdmin, GroupIdsOf(member), PermissionsOf(member), _organisations[orgId].Revision))
                : Answer(new MemberStatusResponse(memberId, orgId, member.Username, member.Phone, member.Status, member.IsAdmin, member.Role));
        }
    }

    private HttpResponseMessage Check(PermissionCheckRequest request)
    {
        var memberId = request.MemberId;
        if (request.Permission != PermissionClient.AdminSettings)
        {
            return Problem(HttpStatusCode.BadRequest, "validation_failed");
        }

        lock (_lock)
        {
            var member = _members.GetValueOrDefault(memberId);
            var active = member?.Status == MemberStatuses.Active;
            var allowed = active && member!.IsAdmin;
            return Answer(new PermissionCheckResponse(
                allowed, !active ? "inactive" : allowed ? "admin" : "not_granted", Revision: 7, member?.Status ?? MemberStatuses.Removed, member?.IsAdmin ?? false));
        }
    }

    private HttpResponseMessage Validate(ValidateInvitationRequest request) => InvitationAnswer(request.OrgId, request.Token!, request.Phone!, registrationId: null);

    private HttpResponseMessage Accept(AcceptInvitationRequest request) => InvitationAnswer(request.OrgId, request.Token!, request.Phone!, request.RegistrationId);

    /// <summary>Validates the token for the phone; with <paramref name="registrationId"/>, accepts it for that registration.</summary>
    private HttpResponseMessage InvitationAnswer(Guid orgId, string token, string phone, Guid? registrationId)
    {
        var accept = registrationId is not null;
        if (!_invitations.TryGetValue(token, out var invitation) || invitation.OrgId != orgId)
        {
            return Problem(HttpStatusCode.NotFound, "not_found");
        }

        if (invitation.Phone != phone)
        {
            return Problem(HttpStatusCode.Forbidden, "invitation_phone_mismatch");
        }

        lock (_lock)
        {
            invitation = _invitations[token];
            switch (invitation.State)
            {
                case "expired":
                    return Problem(HttpStatusCode.Gone, "invitation_expired");
                case "revoked":
                    return Problem(HttpStatusCode.Gone, "invitation_revoked");
                case "accepted" when !accept || invitation.AcceptedBy != registrationId:
                    return Problem(HttpStatusCode.Conflict, "invitation_used");
            }

            if (!accept)
            {
                return Answer(new ValidateInvitationResponse(invitation.Id, DateTimeOffset.UtcNow.AddDays(30)));
            }

            _invitations[token] = invitation with { State = "accepted", AcceptedBy = registrationId };
            return Answer(new AcceptInvitationResponse(
                invitation.Id, JsonSerializer.SerializeToElement(new { role = "staff", groupIds = Array.Empty<Guid>() }), InvitedBy: Guid.Empty));
        }
    }

    private static T Read<T>(string? body) => JsonSerializer.Deserialize<T>(body!, Json)!;

    private HttpResponseMessage Created(Member member) =>
        Answer(new RegisterMemberResponse(
            member.Id, member.Status, member.IsAdmin, member.Role, _organisations[member.OrgId].Revision, GroupIdsOf(member), PermissionsOf(member)));

    private static List<Guid> GroupIdsOf(Member member) => member.Access.StaffGroups?.Order().ToList() ?? [];

    /// <summary>As permission writes them: a member who is not active (here, as <see cref="SetStatus"/> left them) holds nothing.</summary>
    private static IReadOnlyDictionary<string, JsonElement> PermissionsOf(Member member) => PermissionDomain.PermissionsJson.Write(
        member.Status == MemberStatuses.Active ? member.Access.Effective : PermissionDomain.PermissionSet.Empty, everyName: true);

    private static HttpResponseMessage Answer<T>(T value) =>
        new(HttpStatusCode.OK) { Content = JsonContent.Create(value, options: Json) };

    private static HttpResponseMessage Problem(HttpStatusCode status, string code) =>
        new(status) { Content = JsonContent.Create(new { status = (int)status, code, detail = $"fake {code}" }, options: Json) };
}
