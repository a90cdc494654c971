using System.Diagnostics;
using System.Text.Json;
using TeamPlatform.Testing;

namespace TeamPlatform.LoadDriver;

/// <summary>An organisation created through the API whose members and groups bench/Seeder wrote straight into the permission database.</summary>
public sealed record SeededOrg(TeamPlatformClient.Org Org, int Members, string Search, string Person, Guid[] Staff, Guid[] Groups)
{
    public Guid OrgId => Org.OrgId;

    /// <summary>The creator's token: the one admin who can sign in (the seeded members exist only in the permission service).</summary>
    public string AdminToken => Org.Creator.AccessToken!;
}

public static class SeededOrganisations
{
    /// <summary>
    /// Creates the organisation through the API (so that its creator can sign in and list members), then runs the seeder.
    /// Registration would spend hours hashing passwords; the seeded members are what the team list and checks read.
    /// </summary>
    /// <param name="signIns">Whether each active member also gets a sign-in on the organisation's audit chain.</param>
    public static async Task<SeededOrg> CreateAsync(TeamPlatformClient api, DriverOptions options, int members, int groups, bool signIns = false)
    {
        var org = await api.CreateOrganisationAsync();
        var json = Path.Combine(Path.GetTempPath(), $"seed-{org.OrgId}.json");
        var seeder = Process.Start(new ProcessStartInfo("dotnet",
        [
            "run", "-c", "Release", "--project", options.SeederProject, "--",
            "--connection", options.PermissionDatabase, "--org", org.OrgId.ToString(),
            "--members", members.ToString(), "--groups", groups.ToString(), "--json", json, .. signIns ? new[] { "--sign-ins" } : [],
        ]) { RedirectStandardOutput = true })!;
        await seeder.StandardOutput.ReadToEndAsync();
        await seeder.WaitForExitAsync();
        if (seeder.ExitCode != 0)
        {
            throw new InvalidOperationException($"the seeder failed ({seeder.ExitCode})");
        }

        var seeded = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        File.Delete(json);
        Console.WriteLine($"seeded {members} members, {groups} groups and {seeded.GetProperty("auditEntries").GetInt32()} audit entries into {org.Slug} in {seeded.GetProperty("seconds").GetDouble()} s");
        return new SeededOrg(
            org,
            members,
            seeded.GetProperty("searchSample").GetString()!,
            seeded.GetProperty("personSample").GetString()!,
            seeded.GetProperty("staff").EnumerateArray().Select(e => e.GetGuid()).ToArray(),
            seeded.GetProperty("sampleGroups").EnumerateArray().Select(e => e.GetGuid()).ToArray());
    }
}
