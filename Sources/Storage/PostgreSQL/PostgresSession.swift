import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One connection lent to one transaction thread. Every call blocks that thread until PostgreSQL answers.
///
/// The store's statements run as named prepared statements, as the embedded store runs cached ones: PostgreSQL
/// parses and plans each distinct statement once per connection, instead of on every call, which is most of its
/// work for the short statements a message needs. `unprepared` is for the rest (transaction control, the schema).
final class PostgresSession {
    let pooled: PooledConnection
    unowned let connections: PostgresConnections
    /// Set when the connection can no longer be trusted (a network error, a failed rollback, a prepared statement
    /// the server no longer accepts).
    private(set) var broken = false
    /// The first statement that failed in the current transaction.
    private(set) var firstFailure: String?
    /// Set by a statement of this transaction that found no webhook subscription (a status is written with that
    /// question asked in the same statement), so that the registrar's next `allSubscriptions` needs no round trip
    /// of its own. Taken by that call; cleared by any change to the subscriptions.
    var noSubscriptionsSeen = false
    /// Statements sent on this lending of the connection, `BEGIN` and `COMMIT` included.
    private(set) var statementsRun = 0
    /// While set, a statement beyond this many is not sent: it throws `StatementLimitReached`, and so does every
    /// statement after it (see `PostgresConnections.read`).
    private var statementLimit: Int?
    /// Whether a statement was refused by `statementLimit`.
    private(set) var statementLimitReached = false

    var connection: PostgresConnection { pooled.connection }

    init(connection: PooledConnection, connections: PostgresConnections) {
        pooled = connection
        self.connections = connections
    }

    /// Runs one statement with `?` placeholders, unprepared, and returns its rows and command tag.
    @discardableResult
    func unprepared(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> PostgresQueryResult {
        try count()
        return try sendUnprepared(sql, arguments)
    }

    private func sendUnprepared(_ sql: String, _ arguments: [any PostgresArgument]) throws -> PostgresQueryResult {
        try failing {
            try connection.query(.numbering(sql, arguments), logger: connections.logger).wait()
        }
    }

    /// Runs one statement with `?` placeholders for what it does, not for rows it may return.
    func execute(_ sql: String, _ arguments: [any PostgresArgument] = []) throws {
        _ = try prepared(sql, arguments)
    }

    /// The rows of `sql`, ready for access by column name.
    func rows(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> [PostgresRandomAccessRow] {
        try prepared(sql, arguments).map { $0.makeRandomAccess() }
    }

    /// The first row of `sql`, if any.
    func row(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> PostgresRandomAccessRow? {
        try prepared(sql, arguments).first.map { $0.makeRandomAccess() }
    }

    /// The number of rows a plain `UPDATE`, `DELETE` or `INSERT` (one without `RETURNING`) changed.
    ///
    /// Counted as the rows of the statement with `RETURNING 1`: postgres-nio's prepared statements do not give the
    /// command tag.
    func changes(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> Int {
        try prepared(sql + " RETURNING 1", arguments).count
    }

    /// A single integer (a count, an id), or nil when the query returned no row or NULL.
    func integer(_ sql: String, _ arguments: [any PostgresArgument] = []) throws -> Int64? {
        guard let row = try prepared(sql, arguments).first else { return nil }
        return try row.makeRandomAccess()[0].decode(Int64?.self)
    }

    /// Sends at most `limit` statements from now on (nil: no limit), counting from zero.
    func limitStatements(to limit: Int?) {
        statementLimit = limit
        statementsRun = 0
        statementLimitReached = false
    }

    /// Forgets a failure of an attempt made without a transaction, before the same work starts over in one.
    func startOver() {
        firstFailure = nil
        noSubscriptionsSeen = false
        limitStatements(to: nil)
    }

    private func count() throws {
        if let statementLimit, statementsRun >= statementLimit {
            statementLimitReached = true
            throw StatementLimitReached()
        }
        statementsRun += 1
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

    /// Runs `sql` as the statement prepared for it on this connection (preparing it first when it is new), on the
    /// event loop through postgres-nio's prepared-statement API, while this thread waits.
    ///
    /// After a failure in this transaction every further statement fails anyway (PostgreSQL has aborted it), so
    /// those run unprepared: a statement prepared in an aborted transaction would stay failed on the connection.
    private func prepared(_ sql: String, _ arguments: [any PostgresArgument]) throws -> [PostgresRow] {
        try count()
        guard firstFailure == nil, let (text, isNew) = pooled.statement(for: sql, arguments) else {
            return try Array(sendUnprepared(sql, arguments).rows)
        }
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(to: &bindings) }
        let statement = NamedStatement(bindings: bindings)
        let connection = connection, logger = connections.logger
        let promise = connection.eventLoop.makePromise(of: [PostgresRow].self)
        // The task runs on the connection's event loop, never on the cooperative pool: a caller there may be
        // waiting, blocked, for this very thread (see `PostgresConnections.blocking`).
        Task(executorPreference: pooled.executor) {
            do {
                promise.succeed(try await StatementText.$current.withValue(text) {
                    try await statement.run(on: connection, logger: logger)
                })
            } catch {
                promise.fail(error)
            }
        }
        return try failing(firstUseOfPrepared: isNew) { try promise.futureResult.wait() }
    }

    /// Runs `body`, recording a failure for the transaction and whether the connection may be reused.
    private func failing<T>(firstUseOfPrepared: Bool = false, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let failure = PostgresFailure(error, connections.configuration)
            // A statement prepared on this connection that failed the first time (postgres-nio keeps that failure
            // for its name), or that the server no longer accepts because the schema changed under it ("cached
            // plan must not change result type", after another instance migrated), is not tried again here.
            if failure.isConnectionLost || failure.invalidatesPreparedStatements || firstUseOfPrepared {
                broken = true
            }
            if firstFailure == nil, !failure.isConnectionLost { firstFailure = failure.storeError.description }
            throw failure.storeError
        }
    }
}

/// A statement not sent because of `PostgresSession.limitStatements(to:)`: the caller starts over in a transaction.
struct StatementLimitReached: Error {}

/// A connection of the pool with the statements prepared on it. Only the thread it is lent to touches it.
final class PooledConnection: @unchecked Sendable {
    let connection: PostgresConnection
    /// Statement names by SQL text and parameter types, with the numbered SQL.
    private var statements: [String: StatementText] = [:]

    /// A connection prepares at most this many statements; the store's own are far fewer, so only searches with
    /// many different filter combinations reach it, and those run unprepared from then on.
    static let statementLimit = 400

    /// Runs the tasks of the connection's prepared statements on its event loop.
    let executor: EventLoopTaskExecutor

    init(_ connection: PostgresConnection) {
        self.connection = connection
        executor = EventLoopTaskExecutor(connection.eventLoop)
    }

    /// The name and numbered text under which `sql` with arguments of these types is prepared, and whether this is
    /// its first use on the connection (it is prepared now); nil when the connection holds as many as it may.
    ///
    /// The parameter types are part of the key because a statement is prepared with the types of its first
    /// arguments: a NULL leaves the type to PostgreSQL, a value fixes it.
    func statement(for sql: String, _ arguments: [any PostgresArgument]) -> (StatementText, isNew: Bool)? {
        var key = sql
        key.append("\u{0}")
        for argument in arguments { key.append(argument.typeCode) }
        if let known = statements[key] { return (known, false) }
        guard statements.count < Self.statementLimit else { return nil }
        let text = StatementText(name: "ip_\(statements.count + 1)",
                                 sql: PostgresQuery.numbered(sql, expecting: arguments.count))
        statements[key] = text
        return (text, true)
    }
}

/// The name and SQL of a prepared statement. postgres-nio's prepared-statement API takes them from the statement's
/// type; ours are known only at run time, so they travel in a task local read by that type.
struct StatementText: Sendable {
    @TaskLocal static var current = StatementText(name: "", sql: "")
    let name: String
    let sql: String
}

/// A prepared statement of the store, run through postgres-nio's `PostgresPreparedStatement`, for its rows.
struct NamedStatement: PostgresPreparedStatement {
    static var name: String { StatementText.current.name }
    static var sql: String { StatementText.current.sql }

    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }

    func run(on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.execute(self, logger: logger) { rows.append(row) }
        return rows
    }
}

/// Runs tasks on one NIO event loop, so that they need no thread of the cooperative pool.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
