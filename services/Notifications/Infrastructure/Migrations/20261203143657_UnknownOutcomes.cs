using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Notifications.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class UnknownOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "attempt_started_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "receipt_deadline",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_receipt_deadline",
                table: "notifications",
                column: "receipt_deadline",
                filter: "receipt_deadline IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_receipt_deadline",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "attempt_started_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "receipt_deadline",
                table: "notifications");
        }
    }
}
