using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeamPlatform.Contracts.V1;
using OrganisationSettings = TeamPlatform.Identity.Domain.OrganisationSettings;
using TeamPlatform.Identity.Domain;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;
using E164 = TeamPlatform.ServiceDefaults.Phones.PhoneNumbers;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity.Features.ManageOrganisation;

public sealed record OrganisationView(Guid Id, string Slug, string Name, OrganisationSettings Settings, DateTimeOffset CreatedAt)
{
    public static OrganisationView Of(Domain.Organisation organisation) =>
        new(organisation.Id, organisation.Slug, organisation.Name, organisation.Settings, organisation.VerifiedAt ?? organisation.CreatedAt);
}

/// <summary>Only what is given changes. <c>chatbotPhone: ""</c> clears the chatbot number.</summary>
public sealed record UpdateOrganisationRequest(string? Name = null, SettingsChange? Settings = null);

public sealed record SettingsChange(
    int? AutoAdminCount = null,
    int? InviteTtlDays = null,
    SelfRegistration? SelfRegistration = null,
    string? ChatbotPhone = null,
    string? Language = null,
    bool? SmsFallback = null);

internal sealed class UpdateOrganisationValidator : AbstractValidator<UpdateOrganisationRequest>
{
    public UpdateOrganisationValidator() =>
        RuleFor(r => r.Settings!.ChatbotPhone)
            .Must(p => p == "" || E164.TryNormalize(p, out _))
            .WithErrorCode(ErrorCodes.InvalidPhone).WithMessage("chatbotPhone is a number in international format, or \"\" to clear it.")
            .When(r => r.Settings?.ChatbotPhone is not null);
}

/// <summary>The actor's organisation: any member reads it; changing it needs <c>admin_settings</c>.</summary>
internal static class OrganisationEndpoints
{
    public const string AdminSettings = "admin_settings";

    public static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetAsync(
        HttpContext http, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var orgId = http.User.OrgId();
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgId && o.VerifiedAt != null, cancellationToken);
        return organisation is null ? ApiProblem.NotFound("The organisation") : TypedResults.Ok(OrganisationView.Of(organisation));
    }

    public static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> UpdateAsync(
        UpdateOrganisationRequest request,
        HttpContext http,
        IdentityDbContext db,
        PermissionClient permission,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orgId = http.User.OrgId()!.Value;
        var memberId = http.User.MemberId()!.Value;
        if (!await permission.IsAllowedAsync(orgId, memberId, AdminSettings, cancellationToken))
        {
            return ApiProblem.Forbidden("Changing the organisation needs admin_settings.");
        }

        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == orgId && o.VerifiedAt != null, cancellationToken);
        if (organisation is null)
        {
            return ApiProblem.NotFound("The organisation");
        }

        var current = organisation.Settings;
        var change = request.Settings;
        var chatbotPhone = change?.ChatbotPhone switch
        {
            null => current.ChatbotPhone,
            "" => null,
            var given => E164.TryNormalize(given, out var e164) ? e164 : given,
        };
        var settings = new OrganisationSettings(
            change?.AutoAdminCount ?? current.AutoAdminCount,
            change?.InviteTtlDays ?? current.InviteTtlDays,
            change?.SelfRegistration ?? current.SelfRegistration,
            chatbotPhone,
            change?.Language ?? current.Language,
            change?.SmsFallback ?? current.SmsFallback);
        if (organisation.Change(request.Name, settings) is { } invalid)
        {
            return Problems.For(invalid);
        }

        if (db.ChangeTracker.HasChanges())
        {
            db.AddOutboxEvent(new OrganisationSettingsChanged(
                organisation.Id, organisation.Slug, organisation.Name, organisation.Settings.ToContract(), time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(OrganisationView.Of(organisation));
    }
}
