import ServiceLifecycle
import Storage

/// Runs a background service — its loop, its child tasks and the default actors it calls — on a
/// `BackgroundExecutor`, so that it takes the CPU the API leaves.
public struct InBackground: Service {
    let service: any Service
    let executor: BackgroundExecutor

    public init(_ service: any Service, on executor: BackgroundExecutor) {
        self.service = service
        self.executor = executor
    }

    public func run() async throws {
        try await WorkPriority.$isBackground.withValue(true) {
            try await withTaskExecutorPreference(executor) { try await service.run() }
        }
    }
}
