using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Invitations.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class UnfinishedAcceptances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_invitations_unfinished_acceptances",
                table: "invitations",
                column: "accepted_at",
                filter: "accepted_at IS NOT NULL AND member_id IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_invitations_unfinished_acceptances",
                table: "invitations");
        }
    }
}
