using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Testing;
using PermissionDomain = TeamPlatform.Permissions.Domain;

namespace TeamPlatform.Identity.Tests;

/// <summary>
/// The permission and invitation services' internal APIs as docs/internal-api.md describes them, in memory:
/// members created idempotently on the registration id under a lock per organisation, by the permission
/// service's own rule (<see cref="PermissionDomain.Organisation.Register"/>: who is an admin, who waits for
/// approval), member lookups, checks, and invitation tokens validated and accepted once.
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

    public sealed record Member(Guid Id, Guid OrgId, string Username, string Phone, string Status, bool IsAdmin, string Role, string Via);

    public sealed record Invitation(Guid Id, Guid OrgId, string Phone, string State, Guid? AcceptedBy);

    /// <summary>How many times permission was asked to create a member (idempotent repeats included).</summary>
    public int MemberCreations { get; private set; }

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
        // Read as text: the resilience handler may send the same request (and content) again.
        JsonElement? body = request.Content is null ? null : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (host, request.Method.Method, segments) switch
        {
            ("permission", "POST", ["internal", "members"]) => CreateMember(body!.Value),
            ("permission", "GET", ["internal", "orgs", var org, "members", var member]) => GetMember(Guid.Parse(org), Guid.Parse(member), effective: false),
            ("permission", "GET", ["internal", "orgs", var org, "members", var member, "effective-permissions"]) => GetMember(Guid.Parse(org), Guid.Parse(member), effective: true),
            ("permission", "POST", ["internal", "permissions", "check"]) => Check(body!.Value),
            ("invitation", "POST", ["internal", "invitations", "validate"]) => Validate(body!.Value, accept: false),
            ("invitation", "POST", ["internal", "invitations", "accept"]) => Validate(body!.Value, accept: true),
            _ => Problem(HttpStatusCode.NotFound, "not_found"),
        };
    }

    // HttpClientFactory disposes handlers when their lifetime ends; the base holds nothing, so this one lives on.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);

    private HttpResponseMessage CreateMember(JsonElement request)
    {
        var registrationId = request.GetProperty("registrationId").GetGuid();
        var orgId = request.GetProperty("orgId").GetGuid();
        var username = request.GetProperty("username").GetString()!;
        var phone = request.GetProperty("phone").GetString()!;
        var via = request.GetProperty("via").GetString()!;
        var autoAdminCount = request.GetProperty("autoAdminCount").GetInt32();
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
            PermissionDomain.Access? invitedAccess = null;
            if (request.TryGetProperty("access", out var access) && access.ValueKind == JsonValueKind.Object)
            {
                if (access.Deserialize<PermissionDomain.AccessDocument>(Json)!.Resolve(PermissionDomain.Access.Nothing, out var resolved) is not null)
                {
                    return Problem(HttpStatusCode.BadRequest, "validation_failed");
                }

                invitedAccess = resolved;
            }

            var registered = organisation.Register(
                new PermissionDomain.MemberRegistration(
                    registrationId, username, phone, via, OptionalGuid(request, "invitationId"), OptionalGuid(request, "invitedBy"), invitedAccess),
                now);
            var member = new Member(
                registered.Id, orgId, username, phone, PermissionDomain.MemberStatusNames.NameOf(registered.Status), registered.IsAdmin, registered.Role, via);
            _members[member.Id] = member;
            _memberByRegistration[registrationId] = member.Id;
            return Created(member);
        }
    }

    private HttpResponseMessage GetMember(Guid orgId, Guid memberId, bool effective)
    {
        lock (_lock)
        {
            if (!_members.TryGetValue(memberId, out var member) || member.OrgId != orgId)
            {
                return Problem(HttpStatusCode.NotFound, "not_found");
            }

            return effective
                ? Answer(new
                {
                    memberId, member.Status, member.IsAdmin, member.Role, groupIds = Array.Empty<Guid>(),
                    permissions = new JsonObject { ["admin_settings"] = member.IsAdmin, ["message_inbox"] = member.IsAdmin ? new JsonObject { ["scope"] = "all" } : null },
                    revision = 7,
                })
                : Answer(new { memberId, orgId, member.Username, member.Phone, member.Status, member.IsAdmin, member.Role });
        }
    }

    private HttpResponseMessage Check(JsonElement request)
    {
        var memberId = request.GetProperty("memberId").GetGuid();
        if (request.GetProperty("permission").GetString() != "admin_settings")
        {
            return Problem(HttpStatusCode.BadRequest, "validation_failed");
        }

        lock (_lock)
        {
            var member = _members.GetValueOrDefault(memberId);
            var active = member?.Status == MemberStatuses.Active;
            var allowed = active && member!.IsAdmin;
            return Answer(new
            {
                allowed,
                reason = !active ? "inactive" : allowed ? "admin" : "not_granted",
                revision = 7,
                status = member?.Status ?? MemberStatuses.Removed,
                isAdmin = member?.IsAdmin ?? false,
            });
        }
    }

    private HttpResponseMessage Validate(JsonElement request, bool accept)
    {
        var token = request.GetProperty("token").GetString()!;
        if (!_invitations.TryGetValue(token, out var invitation) || invitation.OrgId != request.GetProperty("orgId").GetGuid())
        {
            return Problem(HttpStatusCode.NotFound, "not_found");
        }

        if (invitation.Phone != request.GetProperty("phone").GetString())
        {
            return Problem(HttpStatusCode.Forbidden, "invitation_phone_mismatch");
        }

        var registrationId = accept ? request.GetProperty("registrationId").GetGuid() : (Guid?)null;
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
                return Answer(new { invitationId = invitation.Id, expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
            }

            _invitations[token] = invitation with { State = "accepted", AcceptedBy = registrationId };
            return Answer(new
            {
                invitationId = invitation.Id,
                access = new { role = "staff", groupIds = Array.Empty<Guid>() },
                invitedBy = Guid.Empty,
            });
        }
    }

    private static Guid? OptionalGuid(JsonElement request, string property) =>
        request.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetGuid() : null;

    private static HttpResponseMessage Created(Member member) =>
        Answer(new { memberId = member.Id, member.Status, member.IsAdmin, member.Role, revision = 1 });

    private static HttpResponseMessage Answer(object value) =>
        new(HttpStatusCode.OK) { Content = JsonContent.Create(value, options: Json) };

    private static HttpResponseMessage Problem(HttpStatusCode status, string code) =>
        new(status) { Content = JsonContent.Create(new { status = (int)status, code, detail = $"fake {code}" }, options: Json) };
}
