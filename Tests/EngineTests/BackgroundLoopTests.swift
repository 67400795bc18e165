import Foundation
import Testing
@testable import Engine

@Suite("Background jobs: the pause after failures")
struct BackgroundLoopTests {
    @Test("Failing again and again (the database is down) waits longer each time, up to a minute")
    func pauseGrows() {
        let pauses = (1...7).map { BackgroundLoop.failurePause(5, failures: $0) }
        #expect(pauses == [5, 10, 20, 40, 60, 60, 60])
        // A job whose own pause is longer than a minute keeps it.
        #expect(BackgroundLoop.failurePause(90, failures: 3) == 90)
    }
}
