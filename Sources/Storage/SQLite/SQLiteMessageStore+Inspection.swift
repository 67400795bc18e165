import GRDB

/// Looking inside the database: for `doctor`, `/manage` and the schema tests.
extension SQLiteMessageStore {
    /// The migrations applied to this database, in the order they ran.
    public func appliedMigrations() throws -> [String] {
        let applied = try pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
        return StoreSchema.migrationNames.filter(applied.contains)
    }

    /// The first column of every row of `sql`, as text (`NULL` for null), read through a reader connection.
    func texts(_ sql: String) throws -> [String] {
        try pool.read { db in try Row.fetchAll(db, sql: sql).map { Self.text($0[0]) } }
    }

    /// The same through the writer connection (where the durability pragmas apply).
    func writerTexts(_ sql: String) throws -> [String] {
        try pool.writeWithoutTransaction { db in try Row.fetchAll(db, sql: sql).map { Self.text($0[0]) } }
    }

    private static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob(let bytes): "<\(bytes.count) bytes>"
        }
    }
}

extension SQLiteMessageStore {
    /// The `detail` lines of `EXPLAIN QUERY PLAN sql`.
    func planDetails(_ sql: String) throws -> [String] {
        try pool.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] } }
    }
}
