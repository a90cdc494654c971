namespace TeamPlatform.Internal;

/// <summary>The identity service's internal API (docs/internal-api.md), for every process that calls it.</summary>
public sealed class IdentityClient(HttpClient http)
{
    private const string ServiceName = ServiceNames.Identity;

    /// <summary>Every revocation whose access tokens may still be alive.</summary>
    public async Task<IReadOnlyList<RevocationItem>> GetRevocationsAsync(CancellationToken cancellationToken)
    {
        var answer = await InternalCall.ReadAsync<RevocationsResponse>(
            ServiceName, () => http.GetAsync("/internal/sessions/revocations", cancellationToken), cancellationToken);
        return answer.ValueOrThrow(ServiceName, "revocation list").Items;
    }
}
