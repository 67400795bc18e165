import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads for the work nobody is waiting on — the outbox, the pollers, the sweepers, webhooks — run at a lower
/// scheduling priority (a higher nice value) than the threads that answer the API.
///
/// An archive system waits for every API call; a message waits in the outbox either way. When the CPU is the
/// bottleneck (a burst of sends), the operating system then gives the API's threads the CPU first and the
/// background takes what is left, instead of every accept waiting behind the sending of the messages accepted
/// before it. Nothing is lost when the CPU is free: the scheduler hands idle CPU to any runnable thread, whatever
/// its nice value, so the background still runs at full speed whenever the API leaves room.
///
/// Background services run with this executor as their task executor preference (`withTaskExecutorPreference`):
/// their code, their child tasks and the default actors they call run on these threads. Work handed elsewhere —
/// the database's own queues and threads, the HTTP client's event loops — keeps its normal priority, so a
/// background transaction never holds a lock or a connection while it waits for a lower-priority thread. An
/// unstructured task (`Task {}`) does not inherit the preference: the embedded store's group commit, which a
/// background write may start and API writes then join, runs at the API's priority.
public final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    /// How much nicer than the process the threads run (1–19), and the nice value that makes (at most 19).
    public let increment: Int32
    public let niceness: Int32
    /// Whether every thread runs at `niceness` (false where the operating system refused it: the threads then run
    /// at the process's priority, which loses the preference, never work).
    public let isLowered: Bool
    private let queue = JobQueue()

    /// Starts `threads` threads `increment` steps nicer than the process's main thread (as `nice -n` does; clamped
    /// to 1–19, the result to at most 19). Jobs on them may block briefly (file I/O, a synchronous store call), so
    /// there should be more threads than cores; the threads live as long as the process.
    public init(threads: Int, increment: Int32) {
        self.increment = min(max(increment, 1), 19)
        niceness = min((Self.processNiceness() ?? 0) + self.increment, 19)
        let count = max(threads, 1)
        let started = DispatchSemaphore(value: 0)
        let lowered = Mutex(0)
        for index in 0..<count {
            let thread = Thread { [queue, niceness] in
                if Self.lowerOwnPriority(to: niceness) { lowered.withLock { $0 += 1 } }
                started.signal()
                queue.drain { job, executor in job.runSynchronously(on: executor) }
            }
            thread.name = "background-\(index)"
            thread.stackSize = 8 << 20  // room for deep parsing (XML, JSON), whatever the system default for threads
            thread.start()
        }
        for _ in 0..<count { started.wait() }
        isLowered = lowered.withLock { $0 } == count
        queue.attach(self)
    }

    /// A pool of twice as many threads as cores, at least four. (At 10 steps nicer than the API, a thread of the
    /// API gets about nine tenths of a core against one of these.)
    public convenience init(increment: Int32) {
        self.init(threads: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount), increment: increment)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    /// The calling thread's nice value, or nil where it cannot be read. (On Linux the nice value belongs to each
    /// thread, and `PRIO_PROCESS` with id 0 names the calling thread.)
    public static func currentThreadNiceness() -> Int32? {
        niceness(of: 0)
    }

    /// The nice value of the process's main thread (the one the process started with).
    public static func processNiceness() -> Int32? {
        niceness(of: id_t(getpid()))
    }

    /// `getpriority` for a thread id (0: the calling thread); -1 is a valid answer, so `errno` tells failure.
    private static func niceness(of thread: id_t) -> Int32? {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
        return errno == 0 ? value : nil
        #else
        return nil
        #endif
    }

    /// Raising one's own nice value needs no privilege; should it fail anyway (a sandbox that forbids the call), the
    /// thread runs at normal priority, which only loses the preference, never work. True when the thread now runs at
    /// `niceness`.
    private static func lowerOwnPriority(to niceness: Int32) -> Bool {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        return currentThreadNiceness() == niceness
        #else
        return false
        #endif
    }
}

/// First in, first out, for any number of threads; a waiting thread sleeps on the condition.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    /// Set once, right after the threads start and before any job can arrive; held strongly, as the threads live
    /// for ever.
    private var executor: BackgroundExecutor?

    func attach(_ executor: BackgroundExecutor) {
        condition.lock()
        self.executor = executor
        condition.broadcast()
        condition.unlock()
    }

    func push(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs for ever, waiting while there are none.
    func drain(_ run: (UnownedJob, UnownedTaskExecutor) -> Void) {
        while true {
            condition.lock()
            while head == jobs.count || executor == nil { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count || head >= 1024 {
                jobs.removeFirst(head)
                head = 0
            }
            let executor = executor!.asUnownedTaskExecutor()
            condition.unlock()
            run(job, executor)
        }
    }
}
