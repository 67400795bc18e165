import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The connections of one store and the threads that run its transactions.
///
/// The store contract's transaction bodies are synchronous, so they cannot await postgres-nio. Each transaction
/// therefore runs on a thread of its own pool (never an event-loop thread, never the cooperative pool), where every
/// statement waits for its `EventLoopFuture`. There are as many threads as connections, so a transaction always
/// finds a connection; connections open when first needed and are reused while healthy.
final class PostgresConnections: @unchecked Sendable {
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    private let threads: NIOThreadPool
    private let eventLoops: any EventLoopGroup
    /// Open connections not lent to a transaction, and the id of the last one opened.
    private let pool = Mutex<(idle: [PostgresConnection], lastId: Int)>(([], 0))

    init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        threads = NIOThreadPool(numberOfThreads: configuration.poolSize)
        threads.start()
        eventLoops = MultiThreadedEventLoopGroup.singleton
    }

    deinit {
        threads.shutdownGracefully { _ in }
        for connection in pool.withLock({ $0.idle }) { Self.discard(connection) }
    }

    /// Runs `body` with a connection on a transaction thread.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await threads.runIfActive { [self] in try lending(body) }
    }

    /// Runs `body` with a connection on a transaction thread, blocking the calling thread until it is done (for
    /// the synchronous parts of the payload contract). Never call it on an event-loop thread.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) throws -> T {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else {
            throw StoreError.database("a blocking PostgreSQL call was made on an event-loop thread")
        }
        return try threads.runIfActive(eventLoop: eventLoops.next()) { [self] in try lending(body) }.wait()
    }

    private func lending<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try PostgresSession(connection: acquire(), connections: self)
        defer { release(session.connection, reusable: !session.broken) }
        return try body(session)
    }

    /// Runs `body` in one transaction: `BEGIN`, then `COMMIT`, or `ROLLBACK` when it throws.
    func transaction<T: Sendable>(readOnly: Bool,
                                  _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withConnection { session in
            // Writers see each other's commits (claims rely on row locks); readers get one snapshot.
            try session.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                         : "BEGIN ISOLATION LEVEL READ COMMITTED")
            let value: T
            do {
                value = try body(session)
            } catch {
                session.rollback()
                throw error
            }
            if let failure = session.firstFailure {
                // A statement failed and the body went on: PostgreSQL has already aborted the transaction.
                session.rollback()
                throw StoreError.database("the transaction was rolled back because a statement in it failed: \(failure)")
            }
            let commit = try session.execute("COMMIT")
            guard commit.metadata.command == "COMMIT" else {
                throw StoreError.database("PostgreSQL rolled the transaction back instead of committing it")
            }
            return value
        }
    }

    private func acquire() throws -> PostgresConnection {
        let reused: PostgresConnection? = pool.withLock { pool in
            while let connection = pool.idle.popLast() {
                if !connection.isClosed { return connection }
            }
            return nil
        }
        if let reused { return reused }
        return try open()
    }

    private func release(_ connection: PostgresConnection, reusable: Bool) {
        if reusable && !connection.isClosed {
            pool.withLock { $0.idle.append(connection) }
        } else {
            Self.discard(connection)
        }
    }

    /// Closes `connection`, keeping it alive until it is closed (postgres-nio requires that).
    private static func discard(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Opens one connection and sets its `search_path`.
    func open() throws -> PostgresConnection {
        var options = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        options.options.connectTimeout = .seconds(max(configuration.connectTimeout.components.seconds, 1))
        if let schema = configuration.schema {
            options.options.additionalStartupParameters = [("search_path", schema)]
        }
        let id = pool.withLock { pool in
            pool.lastId += 1
            return pool.lastId
        }
        do {
            return try PostgresConnection.connect(on: eventLoops.next(), configuration: options, id: id,
                                                  logger: logger).wait()
        } catch {
            throw PostgresFailure.connecting(error, configuration)
        }
    }
}

/// One connection lent to one transaction thread. Every call blocks that thread until PostgreSQL answers.
final class PostgresSession {
    let connection: PostgresConnection
    unowned let connections: PostgresConnections
    /// Set when the connection can no longer be trusted (a network error, a failed rollback).
    private(set) var broken = false
    /// The first statement that failed in the current transaction.
    private(set) var firstFailure: String?

    init(connection: PostgresConnection, connections: PostgresConnections) {
        self.connection = connection
        self.connections = connections
    }

    /// Runs one statement with `?` placeholders and returns its rows and command tag.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> PostgresQueryResult {
        do {
            return try connection.query(.numbering(sql, arguments), logger: connections.logger).wait()
        } catch {
            let failure = PostgresFailure(error, connections.configuration)
            if failure.isConnectionLost { broken = true }
            if firstFailure == nil, !failure.isConnectionLost { firstFailure = failure.storeError.description }
            throw failure.storeError
        }
    }

    /// The rows of `sql`, ready for access by column name.
    func rows(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> [PostgresRandomAccessRow] {
        try execute(sql, arguments).rows.map { $0.makeRandomAccess() }
    }

    /// The first row of `sql`, if any.
    func row(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> PostgresRandomAccessRow? {
        try execute(sql, arguments).rows.first.map { $0.makeRandomAccess() }
    }

    /// The number of rows `sql` changed.
    func changes(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> Int {
        try execute(sql, arguments).metadata.rows ?? 0
    }

    /// A single integer (a count, an id), or nil when the query returned no row or NULL.
    func integer(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> Int64? {
        guard let row = try execute(sql, arguments).rows.first else { return nil }
        return try row.makeRandomAccess()[0].decode(Int64?.self)
    }

    /// Ends the transaction without keeping anything; a connection that cannot roll back is not reused.
    func rollback() {
        firstFailure = nil
        do {
            _ = try connection.query("ROLLBACK", logger: connections.logger).wait()
        } catch {
            broken = true
        }
    }
}
