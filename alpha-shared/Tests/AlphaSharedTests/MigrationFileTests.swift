import AlphaPostgres
import Foundation
import Testing

@Suite("Migration files: naming, order, checksums and statement splitting")
struct MigrationFileTests {
    /// A temporary folder holding `files` (name → SQL), removed after `body`.
    func withFolder<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alpha-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, sql) in files {
            try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try body(folder)
    }

    @Test("NNNN_name.sql files load ordered by version; other files are ignored")
    func loadsInOrder() throws {
        let migrations = try withFolder([
            "0010_add_index.sql": "CREATE INDEX i ON t (x);",
            "0002_create_t.sql": "CREATE TABLE t (x int);",
            "0001_create_schema_bits.sql": "SELECT 1;",
            "README.md": "not a migration",
        ]) { try Migration.load(directory: $0) }
        #expect(migrations.map(\.version) == [1, 2, 10])
        #expect(migrations.map(\.name) == ["create_schema_bits", "create_t", "add_index"])
        #expect(migrations[1].sql == "CREATE TABLE t (x int);")
    }

    @Test(
        "a .sql file not named NNNN_name.sql is refused",
        arguments: ["create.sql", "0000_zero.sql", "abc_x.sql", "0003.sql"])
    func badName(file: String) throws {
        let error = #expect(throws: MigrationError.self) {
            try withFolder(["0001_ok.sql": "SELECT 1;", file: "SELECT 2;"]) { try Migration.load(directory: $0) }
        }
        #expect(error == .badFileName(file))
    }

    @Test("two files with the same version are refused")
    func duplicateVersion() throws {
        let error = #expect(throws: MigrationError.self) {
            try withFolder(["0001_a.sql": "SELECT 1;", "1_b.sql": "SELECT 2;"]) { try Migration.load(directory: $0) }
        }
        #expect(error == .duplicateVersion(1))
    }

    @Test("migrations ship as a resource folder of a module; a missing folder is named")
    func loadsFromBundle() throws {
        let migrations = try Migration.load(bundle: .module)
        #expect(migrations.map(\.version) == [1])
        #expect(migrations.first?.name == "create_echoes")
        #expect(throws: MigrationError.missingFolder("NoSuchFolder")) {
            try Migration.load(bundle: .module, folder: "NoSuchFolder")
        }
    }

    @Test("the checksum is the SHA-256 of the SQL text, in hex")
    func checksum() {
        #expect(
            Migration(version: 1, name: "x", sql: "abc").checksum
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            Migration(version: 1, name: "x", sql: "abc ").checksum
                != Migration(version: 1, name: "x", sql: "abc").checksum
        )
    }

    @Test("errors describe themselves in one line naming the file or version")
    func descriptions() {
        #expect(MigrationError.badFileName("x.sql").description == "migration file x.sql must be named NNNN_name.sql")
        #expect(MigrationError.editedAfterApply(version: 3, name: "add_x").description.contains("migration 3 (add_x)"))
    }

    func split(_ sql: String) -> [String] {
        Migration(version: 1, name: "t", sql: sql).statements
    }

    @Test("statements split on semicolons, trimmed, without empty ones")
    func plainStatements() {
        #expect(
            split("CREATE TABLE a (x int);\n\n  CREATE TABLE b (y int) ;;\nSELECT 1")
                == ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)", "SELECT 1"]
        )
        #expect(split("  \n ; ").isEmpty)
    }

    @Test("semicolons inside string literals and quoted identifiers do not split")
    func quotes() {
        #expect(
            split("INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT \"odd;name\" FROM t;")
                == ["INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT \"odd;name\" FROM t"]
        )
        #expect(split(#"SELECT E'it\'s; escaped'; SELECT 2"#) == [#"SELECT E'it\'s; escaped'"#, "SELECT 2"])
    }

    @Test("dollar-quoted bodies, tagged or not, stay whole")
    func dollarQuotes() {
        let function = """
            CREATE FUNCTION bump() RETURNS trigger AS $$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        let block = "DO $body1$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body1$"
        #expect(split(function + ";\n" + block + ";\nSELECT $1::int") == [function, block, "SELECT $1::int"])
    }

    @Test("comments are dropped, including semicolons inside them")
    func comments() {
        let sql = """
            -- create the table; carefully
            CREATE TABLE c (z int); -- trailing; comment
            /* a block; comment /* nested; */ still comment; */
            SELECT/**/1;
            -- only a comment at the end;
            """
        #expect(split(sql) == ["CREATE TABLE c (z int)", "SELECT 1"])
        #expect(split("-- nothing but a comment;\n/* and; another */").isEmpty)
    }
}
