using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Invitations.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class BulkInvitations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "chatbot_phone",
                table: "organisations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "bulk_invitations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    replace = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulk_invitations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "bulk_invitation_rows",
                columns: table => new
                {
                    bulk_invitation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    preset = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    groups = table.Column<string[]>(type: "text[]", nullable: false),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    code = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    invitation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulk_invitation_rows", x => new { x.bulk_invitation_id, x.number });
                    table.ForeignKey(
                        name: "fk_bulk_invitation_rows_bulk_invitations_bulk_invitation_id",
                        column: x => x.bulk_invitation_id,
                        principalTable: "bulk_invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bulk_invitation_rows_sent",
                table: "bulk_invitation_rows",
                columns: new[] { "org_id", "processed_at" },
                filter: "invitation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bulk_invitation_rows_waiting",
                table: "bulk_invitation_rows",
                columns: new[] { "org_id", "bulk_invitation_id", "number" },
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bulk_invitations_org_id_idempotency_key_created_at",
                table: "bulk_invitations",
                columns: new[] { "org_id", "idempotency_key", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bulk_invitation_rows");

            migrationBuilder.DropTable(
                name: "bulk_invitations");

            migrationBuilder.DropColumn(
                name: "chatbot_phone",
                table: "organisations");
        }
    }
}
