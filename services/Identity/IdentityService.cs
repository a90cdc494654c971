using System.ComponentModel.DataAnnotations;
using FluentValidation;
using OpenIddict.Validation.AspNetCore;
using TeamPlatform.ServiceDefaults;
using TeamPlatform.Identity.Features.CreateOrganisation;
using TeamPlatform.Identity.Features.Me;
using TeamPlatform.Identity.Features.ManageOrganisation;
using TeamPlatform.Identity.Features.PasswordReset;
using TeamPlatform.Identity.Features.Register;
using TeamPlatform.Identity.Features.ResendCode;
using TeamPlatform.Identity.Features.Revocations;
using TeamPlatform.Identity.Features.Sessions;
using TeamPlatform.Identity.Features.Tokens;
using TeamPlatform.Identity.Features.VerifyRegistration;
using TeamPlatform.Identity.Infrastructure;
using TeamPlatform.Internal;
using TeamPlatform.Internal.Commands;
using TeamPlatform.Messaging;
using TeamPlatform.ServiceDefaults.Api;
using TeamPlatform.ServiceDefaults.Api.OpenApi;
using TeamPlatform.ServiceDefaults.Security;

namespace TeamPlatform.Identity;

public static class IdentityService
{
    public const string Name = ServiceNames.Identity;

    /// <summary>Members only: a token of a member of an organisation (not a service's).</summary>
    public const string MemberPolicy = "member";

    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        // Identity's statements look rows up by key and it keeps no state on a connection: why both suit the login, decision 0104.
        builder.AddServiceDatabase<IdentityDbContext>(IdentityDbContext.ConnectionName, connection =>
        {
            connection.MaxAutoPrepare = 50;
            connection.NoResetOnClose = true;
        });
        // Started after the migrations (registered above): the keys and clients live in the database.
        builder.Services.AddSingleton<ServerKeys>();
        builder.Services.AddHostedService<ServerKeysInitializer>();
        builder.Services.AddHostedService<ServiceClientRegistration>();
        builder.Services.AddHostedService<MemberAccessCatalogueCheck>();
        // Outbox rows written before the commands left the public contracts still name them there.
        builder.AddMovedMessageTypes(MovedCommands.All);
        builder.AddMessaging<IdentityDbContext>(Name, bus =>
        {
            bus.AddConsumer<MemberAccessChangedConsumer>();
            bus.AddConsumer<MemberRemovedConsumer>();
            bus.AddConsumer<CompleteRegistrationFromPermission>();
        });
        builder.AddInternalAuthentication();
        builder.AddTokenServer();

        builder.Services.AddOptions<OtpOptions>().BindConfiguration(OtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LoginOptions>().BindConfiguration(LoginOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<List<ServiceClientOptions>>().BindConfiguration("Identity:Clients")
            .Validate(clients => clients.All(IsValid), "Each of Identity:Clients needs a ClientId (a-z, 0-9, '-') and a ClientSecret of 32+ characters.")
            .ValidateOnStart();

        builder.Services.AddInternalClient<PermissionClient>(ServiceNames.Permission);
        builder.Services.AddInternalClient<InvitationClient>(ServiceNames.Invitation);
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddServiceMetrics<IdentityMetrics>();
        builder.Services.AddScoped<OtpSendLog>();
        builder.Services.AddScoped<SessionRevoker>();
        builder.Services.AddScoped<EarlyPasswordCheck>();
        builder.Services.AddScoped<PasswordGrant>();
        builder.Services.AddScoped<RefreshTokenGrant>();
        builder.Services.AddHostedService<Sweeper>();
        builder.Services.AddValidatorsFromAssemblyContaining<CreateOrganisationValidator>(includeInternalTypes: true);
        builder.Services.ConfigureApiDocument(TokenEndpointsDocument.Describe);

        builder.Services.AddAuthorizationBuilder().AddPolicy(MemberPolicy, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(TokenClaims.Organisation));

        // Caps count people and discovery names the public URLs: the client's address, scheme and host come from the
        // gateway in front, the one proxy identity trusts (docs/decisions/0007-trusted-proxies.md).
        builder.AddTrustedProxies();
        return builder;
    }

    public static WebApplication UseIdentityService(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseMiddleware<TokenRequestText>();
        return app;
    }

    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Identity");

        api.MapPost("/orgs", CreateOrganisationEndpoint.HandleAsync).Validate<CreateOrganisationRequest>().AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone, ErrorCodes.WeakPassword)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.SlugTaken);
        api.MapPost("/orgs/{slug}/registrations", RegisterEndpoint.HandleAsync).Validate<RegisterRequest>().AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone, ErrorCodes.WeakPassword, ErrorCodes.ChatbotNumber)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.RegistrationClosed, ErrorCodes.InvitationPhoneMismatch)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.PhoneTaken, ErrorCodes.InvitationUsed)
            .ProducesProblemCodes(StatusCodes.Status410Gone, ErrorCodes.InvitationExpired, ErrorCodes.InvitationRevoked);
        api.MapPost("/registrations/{id:guid}/verify", VerifyRegistrationEndpoint.HandleAsync).Validate<VerifyRequest>().AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.OtpInvalid, ErrorCodes.OtpExpired, ErrorCodes.OtpLocked)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ErrorCodes.InvitationPhoneMismatch)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.PhoneTaken, ErrorCodes.InvitationUsed, ErrorCodes.Conflict)
            .ProducesProblemCodes(StatusCodes.Status410Gone, ErrorCodes.InvitationExpired, ErrorCodes.InvitationRevoked);
        api.MapPost("/registrations/{id:guid}/resend", ResendCodeEndpoint.HandleAsync).AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ErrorCodes.Conflict);
        api.MapPost("/orgs/{slug}/password-resets", PasswordResetEndpoints.StartAsync).Validate<StartPasswordResetRequest>().AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone);
        api.MapPost("/password-resets/{resetId:guid}/complete", PasswordResetEndpoints.CompleteAsync).Validate<CompletePasswordResetRequest>().AllowAnonymous()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.OtpInvalid, ErrorCodes.OtpExpired, ErrorCodes.OtpLocked, ErrorCodes.WeakPassword);

        var member = api.MapGroup("").RequireAuthorization(MemberPolicy);
        member.MapGet("/org", OrganisationEndpoints.GetAsync);
        member.MapPatch("/org", OrganisationEndpoints.UpdateAsync).Validate<UpdateOrganisationRequest>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPhone);
        member.MapGet("/me", MeEndpoints.GetAsync);
        member.MapPatch("/me", MeEndpoints.UpdateAsync).Validate<UpdateMeRequest>();
        member.MapPost("/me/password", ChangePasswordEndpoint.HandleAsync).Validate<ChangePasswordRequest>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ErrorCodes.WeakPassword)
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited);
        member.MapGet("/me/sessions", SessionEndpoints.ListAsync);
        member.MapDelete("/me/sessions/{sid:guid}", SessionEndpoints.EndAsync);

        app.MapPost("/connect/token", TokenEndpoint.HandleAsync).ExcludeFromDescription();
        app.MapGet("/internal/sessions/revocations", RevocationsEndpoint.HandleAsync)
            .RequireAuthorization(InternalAuthentication.Policy)
            .ExcludeFromDescription();
        return app;
    }

    private static bool IsValid(ServiceClientOptions client) =>
        Validator.TryValidateObject(client, new ValidationContext(client), null, validateAllProperties: true);
}
