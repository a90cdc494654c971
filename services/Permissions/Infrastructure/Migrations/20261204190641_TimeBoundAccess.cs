using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Permissions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class TimeBoundAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "access_expires_at",
                table: "members",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lapse_access",
                table: "members",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "lapse_is_admin",
                table: "members",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "lapse_status",
                table: "members",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_access_expires_at",
                table: "members",
                column: "access_expires_at",
                filter: "access_expires_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_access_expires_at",
                table: "members");

            migrationBuilder.DropColumn(
                name: "access_expires_at",
                table: "members");

            migrationBuilder.DropColumn(
                name: "lapse_access",
                table: "members");

            migrationBuilder.DropColumn(
                name: "lapse_is_admin",
                table: "members");

            migrationBuilder.DropColumn(
                name: "lapse_status",
                table: "members");
        }
    }
}
