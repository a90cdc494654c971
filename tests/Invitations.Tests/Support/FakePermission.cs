using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TeamPlatform.Contracts.V1;
using TeamPlatform.Internal;
using TeamPlatform.Permissions.Domain;
using TeamPlatform.Permissions.Features;
using TeamPlatform.Permissions.Features.CheckInvitation;
using TeamPlatform.Testing;

namespace TeamPlatform.Invitations.Tests.Support;

/// <summary>A member as the fake permission service knows them.</summary>
public sealed class FakeMember
{
    public required Guid Id { get; init; }

    public required Guid OrgId { get; init; }

    public required string Username { get; init; }

    public required string Phone { get; init; }

    public bool IsAdmin { get; set; }

    public bool AdminSettings { get; set; }

    public string Status { get; set; } = "active";

    /// <summary>The roles a non-admin may preset: they hold every permission of each (staff, manager).</summary>
    public IReadOnlySet<string> Grantable { get; set; } = new HashSet<string>();

    /// <summary>
    /// The member as the permission service holds them: the admin toggle, or a custom set of the widest role in
    /// <see cref="Grantable"/>, with <c>admin_settings</c> when <see cref="AdminSettings"/>.
    /// </summary>
    public Member InPermission()
    {
        var held = Grantable.Contains(Roles.Manager) ? Presets.Manager
            : Grantable.Contains(Roles.Staff) ? Presets.Staff(groups: null)
            : PermissionSet.Empty;
        var access = IsAdmin ? Access.AutoAdmin : Access.CustomSet(held.ToBuilder().Toggle(Permission.AdminSettings, AdminSettings).Build());
        var registration = new MemberRegistration(Guid.NewGuid(), Username, Phone, RegistrationRoutes.SelfRegistration);
        return Member.Create(OrgId, registration, MemberStatusNames.Parse(Status), access, autoPromoted: IsAdmin, revision: 1, DateTimeOffset.UtcNow);
    }
}

/// <summary>
/// The permission service's internal API as docs/internal-api.md defines it, over a few members kept in memory:
/// <c>POST /internal/orgs/{orgId}/invitation-checks</c>, its <c>/batch</c> and <c>POST /internal/permissions/check</c>.
/// Who may invite, what an access document means and who may grant it are the permission service's own rules
/// (<see cref="TeamPolicy"/>, <see cref="InvitationPolicy"/>, <see cref="InvitationRows"/>); requests and answers are its
/// own records (TeamPlatform.Internal).
/// </summary>
public sealed class FakePermission
{
    private readonly ConcurrentDictionary<Guid, FakeMember> _members = new();
    private readonly ConcurrentDictionary<Guid, (Guid OrgId, string Name)> _groups = new();
    private int _invitationChecks;
    private readonly ConcurrentDictionary<Guid, int> _batchChecks = new();

    public int InvitationChecks => _invitationChecks;

    /// <summary>Calls of the batch check about an organisation: a bulk upload asks once, whatever its number of rows.</summary>
    public int BatchChecks(Guid orgId) => _batchChecks.GetValueOrDefault(orgId);

    /// <summary>While set, every call answers 503, as a permission service that is down behind a proxy would.</summary>
    public bool Down { get; set; }

    /// <summary>While set, every call waits until the caller gives up, as a permission service that hangs would.</summary>
    public bool Hangs { get; set; }

    public FakeMember Admin(Guid orgId, string username = "amina") => Add(new FakeMember
    {
        Id = Guid.NewGuid(), OrgId = orgId, Username = username, Phone = TestPhones.New(), IsAdmin = true, AdminSettings = true,
    });

    public FakeMember Add(FakeMember member) => _members[member.Id] = member;

    public Guid AddGroup(Guid orgId, string name)
    {
        var id = Guid.NewGuid();
        _groups[id] = (orgId, name);
        return id;
    }

    public HttpMessageHandler Handler() => new FakeHandler(this);

    private async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("X-Internal-Key", out var keys) is false || keys.Single() != InvitationHost.InternalKey)
        {
            return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        }

        if (Down)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        if (Hangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var path = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return path switch
        {
            ["internal", "orgs", var orgId, "invitation-checks", "batch"] when request.Method == HttpMethod.Post =>
                InvitationBatchCheck(Guid.Parse(orgId), (await request.Content!.ReadFromJsonAsync<InvitationBatchCheckRequest>(cancellationToken))!),
            ["internal", "orgs", var orgId, "invitation-checks"] when request.Method == HttpMethod.Post =>
                InvitationCheck(Guid.Parse(orgId), (await request.Content!.ReadFromJsonAsync<InvitationCheckRequest>(cancellationToken))!),
            ["internal", "permissions", "check"] when request.Method == HttpMethod.Post =>
                Check((await request.Content!.ReadFromJsonAsync<PermissionCheckRequest>(cancellationToken))!),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    private HttpResponseMessage InvitationCheck(Guid orgId, InvitationCheckRequest body)
    {
        Interlocked.Increment(ref _invitationChecks);
        var actor = Member(orgId, body.ActorId);
        var held = actor?.InPermission();
        if (held is null || !TeamPolicy.MayManageTeam(held))
        {
            return Problem(HttpStatusCode.Forbidden, "forbidden", "The actor lacks admin_settings.");
        }

        if (AccessDocument.Read(body.Access, out var document) is not null || document is null)
        {
            return Problem(HttpStatusCode.BadRequest, "validation_failed", "The access document is invalid.");
        }

        if ((document.Resolve(Access.Nothing, out var requested)
            ?? Organisation.CheckInvitedAccess(requested)
            ?? TeamPolicy.EnsureMayGrant(held, target: null, requested)) is { } refusal)
        {
            var problem = Problems.For(refusal);
            return Problem((HttpStatusCode)problem.StatusCode, (string)problem.ProblemDetails.Extensions["code"]!, refusal.Detail);
        }

        var phone = body.Phone;
        if (_members.Values.Any(m => m.OrgId == orgId && m.Phone == phone && m.Status != "removed"))
        {
            return Problem(HttpStatusCode.Conflict, "already_member", "This phone belongs to a member.");
        }

        return Json(HttpStatusCode.OK, new InvitationCheckResponse(actor!.Username, AccessDocument.From(requested).ToJson()));
    }

    private HttpResponseMessage InvitationBatchCheck(Guid orgId, InvitationBatchCheckRequest body)
    {
        _batchChecks.AddOrUpdate(orgId, 1, (_, count) => count + 1);
        var actor = Member(orgId, body.ActorId);
        var held = actor?.InPermission();
        if (held is null || !TeamPolicy.MayManageTeam(held))
        {
            return Problem(HttpStatusCode.Forbidden, "forbidden", "The actor lacks admin_settings.");
        }

        var groups = _groups.Where(g => g.Value.OrgId == orgId).ToList();
        Guid? GroupOf(string reference) =>
            groups.Where(g => g.Key.ToString() == reference || string.Equals(g.Value.Name, reference, StringComparison.OrdinalIgnoreCase))
                .Select(g => (Guid?)g.Key)
                .FirstOrDefault();
        var memberPhones = _members.Values.Where(m => m.OrgId == orgId && m.Status != "removed").Select(m => m.Phone).ToHashSet();
        var results = (body.Rows ?? []).Select(row => InvitationRows.Check(held, row, GroupOf, memberPhones)).ToList();
        return Json(HttpStatusCode.OK, new InvitationBatchCheckResponse(actor!.Username, results));
    }

    private HttpResponseMessage Check(PermissionCheckRequest body)
    {
        var member = Member(body.OrgId, body.MemberId)?.InPermission();
        if (body.Permission != PermissionClient.AdminSettings)
        {
            return Problem(HttpStatusCode.BadRequest, "validation_failed", "This fake knows admin_settings only.");
        }

        var active = member?.Status == MemberStatus.Active;
        var allowed = active && member!.Access.Effective.IsOn(Permission.AdminSettings);
        var reason = !active ? "inactive" : member!.Access.IsAdmin ? "admin" : allowed ? "granted" : "not_granted";
        return Json(HttpStatusCode.OK, new PermissionCheckResponse(
            allowed, reason, Revision: 1, member is null ? "removed" : MemberStatusNames.NameOf(member.Status), member?.Access.IsAdmin ?? false));
    }

    private FakeMember? Member(Guid orgId, Guid memberId) =>
        _members.TryGetValue(memberId, out var member) && member.OrgId == orgId ? member : null;

    private static HttpResponseMessage Problem(HttpStatusCode status, string code, string detail) =>
        Json(status, new { title = code, status = (int)status, detail, code }, "application/problem+json");

    private static HttpResponseMessage Json<T>(HttpStatusCode status, T body, string mediaType = "application/json") => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, mediaType),
    };

    private sealed class FakeHandler(FakePermission permission) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            permission.HandleAsync(request, cancellationToken);
    }
}
