using TeamPlatform.Identity.Domain;
using V1 = TeamPlatform.Contracts.V1;

namespace TeamPlatform.Identity.Infrastructure;

internal static class ContractMapping
{
    public static V1.OrganisationSettings ToContract(this OrganisationSettings settings) => new(
        settings.AutoAdminCount,
        settings.InviteTtlDays,
        settings.SelfRegistration == SelfRegistration.Closed ? "closed" : "approval",
        settings.ChatbotPhone,
        settings.Language,
        settings.SmsFallback);
}
