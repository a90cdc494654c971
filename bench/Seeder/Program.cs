using TeamPlatform.Permissions.Seeder;

// Writes one organisation straight into the permission database, for load and scale runs:
//   dotnet run -c Release --project bench/Seeder -- \
//     --connection "Host=127.0.0.1;Username=teamplatform;Password=teamplatform;Database=teamplatform_permission" \
//     --members 100000 --groups 1000
// Registration would spend hours hashing passwords; these members exist only in the permission service
// (identity knows none of them), which is what checks and the team list read.
return await SeedCommand.RunAsync(args);
