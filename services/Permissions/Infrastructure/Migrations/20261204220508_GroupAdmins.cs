using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Permissions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class GroupAdmins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid[]>(
                name: "groups_touched",
                table: "audit_entries",
                type: "uuid[]",
                nullable: false,
                defaultValue: new Guid[0]);

            // Entries recorded before: the groups their access documents name, and the group a deletion was about.
            migrationBuilder.Sql(
                """
                UPDATE audit_entries e SET groups_touched = ARRAY(
                    SELECT DISTINCT (v #>> '{}')::uuid
                    FROM jsonb_path_query(jsonb_build_array(e.before, e.after), 'lax $.**.groupIds[*]') AS v
                    UNION
                    SELECT e.group_id WHERE e.group_id IS NOT NULL)
                WHERE e.before IS NOT NULL OR e.after IS NOT NULL OR e.group_id IS NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_groups_touched",
                table: "audit_entries",
                column: "groups_touched")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_groups_touched",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "groups_touched",
                table: "audit_entries");
        }
    }
}
