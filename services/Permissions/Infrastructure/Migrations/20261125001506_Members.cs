using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Permissions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Members : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    conversation_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    group_id = table.Column<Guid>(type: "uuid", nullable: true),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "conversation_visibility",
                columns: table => new
                {
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    mode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    member_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_visibility", x => new { x.org_id, x.conversation_id });
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    username = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    access = table.Column<string>(type: "jsonb", nullable: false),
                    is_admin = table.Column<bool>(type: "boolean", nullable: false),
                    role = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    group_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    via = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    invitation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    invited_by = table.Column<Guid>(type: "uuid", nullable: true),
                    auto_promoted = table.Column<bool>(type: "boolean", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    profile_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "organisations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    auto_admin_count = table.Column<int>(type: "integer", nullable: false),
                    auto_promoted = table.Column<int>(type: "integer", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    settings_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pending_members = table.Column<int>(type: "integer", nullable: false),
                    active_members = table.Column<int>(type: "integer", nullable: false),
                    blocked_members = table.Column<int>(type: "integer", nullable: false),
                    removed_members = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organisations", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_org_id_member_id_revision",
                table: "audit_entries",
                columns: new[] { "org_id", "member_id", "revision" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_org_id_revision",
                table: "audit_entries",
                columns: new[] { "org_id", "revision" });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_visibility_org_id_revision",
                table: "conversation_visibility",
                columns: new[] { "org_id", "revision" });

            migrationBuilder.CreateIndex(
                name: "ix_groups_org_id_name_key",
                table: "groups",
                columns: new[] { "org_id", "name_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_group_ids",
                table: "members",
                column: "group_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_created_at_id",
                table: "members",
                columns: new[] { "org_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_phone",
                table: "members",
                columns: new[] { "org_id", "phone" },
                unique: true,
                filter: "status <> 'removed'");

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_revision",
                table: "members",
                columns: new[] { "org_id", "revision" });

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_status",
                table: "members",
                columns: new[] { "org_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_members_phone_trgm",
                table: "members",
                column: "phone")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_members_registration_id",
                table: "members",
                column: "registration_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_username_trgm",
                table: "members",
                column: "username")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "conversation_visibility");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropTable(
                name: "organisations");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
