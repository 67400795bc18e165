import Foundation

/// Where the PostgreSQL store lives and how it connects: `difi.datasource.url` with its username and password.
///
/// The URL is the upstream JDBC form (`jdbc:postgresql://host:5432/db`) or the libpq form
/// (`postgresql://user:password@host:5432/db`); a user or password given separately wins over one in the URL.
public struct PostgresStoreConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var database: String
    public var username: String
    public var password: String?
    /// The schema the tables live in (`search_path`); nil keeps the server's default (`public`).
    public var schema: String?
    /// Connections (and transaction threads) at most; they are opened when first needed.
    public var poolSize: Int
    /// How long to wait for the server to accept a connection.
    public var connectTimeout: Duration

    public init(host: String, port: Int = 5432, database: String, username: String, password: String? = nil,
                schema: String? = nil, poolSize: Int = 8, connectTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.schema = schema
        self.poolSize = max(poolSize, 1)
        self.connectTimeout = connectTimeout
    }

    /// Reads `jdbc:postgresql://host[:port]/database[?user=…&password=…&currentSchema=…]` or
    /// `postgresql://[user[:password]@]host[:port]/database`.
    ///
    /// - Throws: `StoreError.database` naming what is wrong with the URL and how to write it.
    public init(url: String, username: String? = nil, password: String? = nil, poolSize: Int = 8) throws {
        var text = url
        if text.lowercased().hasPrefix("jdbc:") { text.removeFirst(5) }
        let lower = text.lowercased()
        guard lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") else {
            throw StoreError.database("'\(Self.masked(url))' is not a PostgreSQL URL; write it as "
                + "jdbc:postgresql://host:5432/database (difi.datasource.url)")
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw StoreError.database("'\(Self.masked(url))' names no host; write it as "
                + "jdbc:postgresql://host:5432/database (difi.datasource.url)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw StoreError.database("'\(Self.masked(url))' names no database; write it as "
                + "jdbc:postgresql://\(host):\(components.port ?? 5432)/database (difi.datasource.url)")
        }
        let parameters = Dictionary((components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") },
                                    uniquingKeysWith: { _, last in last })
        let user = username ?? components.user.flatMap { $0.removingPercentEncoding }
            ?? parameters["user"] ?? "postgres"
        let secret = password ?? components.password.flatMap { $0.removingPercentEncoding } ?? parameters["password"]
        self.init(host: host, port: components.port ?? 5432, database: database.removingPercentEncoding ?? database,
                  username: user, password: secret,
                  schema: parameters["currentschema"].flatMap { $0.isEmpty ? nil : $0 }, poolSize: poolSize)
    }

    /// `host:port/database` for messages (no secrets).
    public var location: String { "\(host):\(port)/\(database)" }

    /// `url` with any password replaced by `***`.
    static func masked(_ url: String) -> String {
        guard var components = URLComponents(string: url.lowercased().hasPrefix("jdbc:") ? String(url.dropFirst(5)) : url)
        else { return url }
        if components.password != nil { components.password = "***" }
        components.queryItems = components.queryItems?.map {
            $0.name.lowercased() == "password" ? URLQueryItem(name: $0.name, value: "***") : $0
        }
        return components.string ?? url
    }
}
