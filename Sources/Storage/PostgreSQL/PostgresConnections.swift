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
/// finds a connection; connections open when first needed and are reused while healthy. When every one is busy,
/// the next free one goes to a caller answering a request before background work (`ConnectionSlots`).
final class PostgresConnections: @unchecked Sendable {
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    private let threads: NIOThreadPool
    private let eventLoops: any EventLoopGroup
    /// Open connections not lent to a transaction, and the id of the last one opened.
    private let pool = Mutex<(idle: [PooledConnection], lastId: Int)>(([], 0))
    /// One per thread: who gets the next free one.
    private let slots: ConnectionSlots

    init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        threads = NIOThreadPool(numberOfThreads: configuration.poolSize)
        slots = ConnectionSlots(count: configuration.poolSize)
        threads.start()
        eventLoops = MultiThreadedEventLoopGroup.singleton
    }

    deinit {
        threads.shutdownGracefully { _ in }
        for pooled in pool.withLock({ $0.idle }) { Self.discard(pooled.connection) }
    }

    /// Runs `body` with a connection on a transaction thread, once a slot is free: callers before background work
    /// (`WorkPriority.isBackground`).
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        await slots.acquire(background: WorkPriority.isBackground)
        defer { slots.release() }
        return try await threads.runIfActive { [self] in try lending(body) }
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
        defer { release(session.pooled, reusable: !session.broken) }
        return try body(session)
    }

    /// Runs `body` in one transaction: `BEGIN`, then `COMMIT`, or `ROLLBACK` when it throws.
    func transaction<T: Sendable>(readOnly: Bool,
                                  _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withConnection { session in try Self.inTransaction(session, readOnly: readOnly, body) }
    }

    /// Runs `body`, which only reads, against one snapshot, as `transaction(readOnly: true)` does, without
    /// `BEGIN` and `COMMIT` when it makes a single statement (one round trip instead of three; most reads are one
    /// lookup): a single statement sees one snapshot on its own. `body` first runs without a transaction; should it
    /// make a second statement, that statement is not sent, and `body` runs again from the start in a
    /// `REPEATABLE READ READ ONLY` transaction. Running a read again is safe, as it changes nothing. (A single
    /// statement that wrote would not be refused here as a `READ ONLY` transaction refuses it: `MessageStore.read`
    /// bodies only read.)
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withConnection { session in
            session.limitStatements(to: 1)
            let attempt = Result { try body(session) }
            guard session.statementLimitReached else {
                session.limitStatements(to: nil)
                return try attempt.get()
            }
            session.startOver()
            return try Self.inTransaction(session, readOnly: true, body)
        }
    }

    private static func inTransaction<T>(_ session: PostgresSession, readOnly: Bool,
                                         _ body: (PostgresSession) throws -> T) throws -> T {
        // Writers see each other's commits (claims rely on row locks); readers get one snapshot.
        try session.unprepared(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
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
        let commit = try session.unprepared("COMMIT")
        guard commit.metadata.command == "COMMIT" else {
            throw StoreError.database("PostgreSQL rolled the transaction back instead of committing it")
        }
        return value
    }

    private func acquire() throws -> PooledConnection {
        let reused: PooledConnection? = pool.withLock { pool in
            while let pooled = pool.idle.popLast() {
                if !pooled.connection.isClosed { return pooled }
            }
            return nil
        }
        if let reused { return reused }
        return PooledConnection(try open())
    }

    private func release(_ pooled: PooledConnection, reusable: Bool) {
        if reusable && !pooled.connection.isClosed {
            pool.withLock { $0.idle.append(pooled) }
        } else {
            Self.discard(pooled.connection)
        }
    }

    /// Closes `connection`, keeping it alive until it is closed (postgres-nio requires that).
    private static func discard(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Set on every connection as it opens (a statement, not a start-up parameter: PgBouncer refuses start-up
    /// parameters it does not know).
    ///
    /// `enable_seqscan = off`: every statement the store makes looks rows up by a key or an indexed column, and has
    /// an index to follow. Left to itself the planner scans a table row by row while it is small, and keeps that plan
    /// for a prepared statement: the tables of a new database for their first minute (until autovacuum's first
    /// analysis), and the tables that stay small in a running installation — payloads, files, outbox jobs, incoming
    /// messages — between autovacuum's visits, with every row deleted since still on the pages being read. Measured
    /// on the benchmark: a third of the server's CPU per message. A statement without a usable index is still run
    /// (the setting makes a sequential scan the last choice, not an impossible one).
    ///
    /// `jit = off`: the setting above prices a sequential scan at 10^10, far above `jit_above_cost` (100 000), so
    /// every statement that still scans — the health check's oldest conversation, a free-text search, a sweep of an
    /// empty table at start-up — would be compiled with LLVM, inlined and optimised, on every execution: 40–50 ms
    /// of the server's CPU for a statement that reads no rows. The store's statements are short look-ups, which JIT
    /// never pays for.
    static let sessionSettings = "SELECT set_config('enable_seqscan', 'off', false), set_config('jit', 'off', false)"

    /// Opens one connection with its `search_path` and the session settings.
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
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: eventLoops.next(), configuration: options, id: id,
                                                        logger: logger).wait()
        } catch {
            throw PostgresFailure.connecting(error, configuration)
        }
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: Self.sessionSettings), logger: logger).wait()
        } catch {
            Self.discard(connection)
            throw PostgresFailure(error, configuration).storeError
        }
        return connection
    }
}
