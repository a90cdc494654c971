using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Permissions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class MemberSearchTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search by the beginnings of words replaces search by any part (docs/decisions/0208). The rows of the members
            // already there are written by MemberSearchIndex.BackfillAsync, which applying the migrations runs next: the
            // rule folds accents and formats phones with libphonenumber, in C#, as every later write does.
            migrationBuilder.DropIndex(
                name: "ix_members_org_id_phone_trgm",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_members_org_id_username_trgm",
                table: "members");

            migrationBuilder.CreateTable(
                name: "member_search_terms",
                columns: table => new
                {
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    term = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    org_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sort_key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_search_terms", x => new { x.member_id, x.kind, x.term });
                    table.ForeignKey(
                        name: "fk_member_search_terms_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_member_search_terms_lookup",
                table: "member_search_terms",
                columns: new[] { "org_id", "kind", "term", "sort_key", "member_id" })
                .Annotation("Npgsql:IndexInclude", new[] { "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "member_search_terms");

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_phone_trgm",
                table: "members",
                columns: new[] { "org_id", "phone" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "uuid_ops", "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_members_org_id_username_trgm",
                table: "members",
                columns: new[] { "org_id", "username" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "uuid_ops", "gin_trgm_ops" });
        }
    }
}
