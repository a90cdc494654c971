using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Notifications.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class WebhookLeaseOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_next_attempt_at",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at_created_at_id",
                table: "webhook_deliveries",
                columns: new[] { "next_attempt_at", "created_at", "id" },
                filter: "status = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_next_attempt_at_created_at_id",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "status = 'pending'");
        }
    }
}
