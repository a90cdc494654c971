using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeamPlatform.Permissions.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "audit_head",
                table: "organisations",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "audit_sequence",
                table: "organisations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<byte[]>(
                name: "hash",
                table: "audit_entries",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<byte[]>(
                name: "previous_hash",
                table: "audit_entries",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "audit_entries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // The entries already written are numbered per organisation in the order they were written, from 2 (1 is
            // the genesis entry). Hashing them needs the canonical form, computed in C# as for every later entry:
            // AuditChainBackfill, which applying the migrations runs next, gives each organisation its genesis entry and
            // hashes its entries in this order (docs/decisions/0210-hash-chained-audit.md).
            migrationBuilder.Sql(
                """
                UPDATE audit_entries AS e SET sequence = numbered.sequence
                FROM (SELECT id, row_number() OVER (PARTITION BY org_id ORDER BY revision, occurred_at, id) + 1 AS sequence
                      FROM audit_entries) AS numbered
                WHERE e.id = numbered.id
                """);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_org_id_sequence",
                table: "audit_entries",
                columns: new[] { "org_id", "sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_org_id_sequence",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "audit_head",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "audit_sequence",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "audit_entries");
        }
    }
}
