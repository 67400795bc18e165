import Foundation
import Logging
import Operations
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fake SNTP server on 127.0.0.1: answers every request with its clock moved by `offset` seconds.
final class FakeSNTPServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let offset: TimeInterval
    private let thread: Thread?

    init(offset: TimeInterval) throws {
        self.offset = offset
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw FakeError("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw FakeError("bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 48)
            while !Thread.current.isCancelled {
                var peer = sockaddr_storage()
                var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, 48, 0, $0, &peerLength) }
                    }
                }
                guard count >= 48 else { continue }
                var reply = [UInt8](repeating: 0, count: 48)
                reply[0] = 0x1C // version 3, mode 4 (server)
                reply[1] = 1 // stratum 1
                for index in 0..<8 { reply[24 + index] = buffer[40 + index] } // originate = client's transmit
                let now = Date().addingTimeInterval(offset)
                FakeSNTPServer.write(now, into: &reply, at: 32)
                FakeSNTPServer.write(now, into: &reply, at: 40)
                _ = reply.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, 48, 0, $0, peerLength) }
                    }
                }
            }
            close(fd)
        }
        self.thread = thread
        thread.start()
    }

    var host: String { "127.0.0.1:\(port)" }

    func stop() { thread?.cancel() }

    static func write(_ date: Date, into bytes: inout [UInt8], at offset: Int) {
        let seconds = date.timeIntervalSince1970 + 2_208_988_800
        let whole = UInt32(truncatingIfNeeded: UInt64(seconds))
        let fraction = UInt32(truncatingIfNeeded: UInt64((seconds - floor(seconds)) * 4_294_967_296))
        for index in 0..<4 {
            bytes[offset + index] = UInt8(truncatingIfNeeded: whole >> (24 - 8 * index))
            bytes[offset + 4 + index] = UInt8(truncatingIfNeeded: fraction >> (24 - 8 * index))
        }
    }
}

struct FakeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite("The clock: SNTP against a fake server")
struct ClockTests {
    @Test("A server 10 s ahead gives an offset of about +10 s, and the start-up check refuses to start")
    func tenSecondsOff() async throws {
        let server = try FakeSNTPServer(offset: 10)
        defer { server.stop() }
        let answer = try ClockSettings.client(server.host).query()
        #expect(abs(answer.offset - 10) < 0.5, "offset \(answer.offset)")
        let check = ClockCheck(client: ClockSettings.client(server.host))
        guard case .offTooFar = await check.measure() else { Issue.record("expected offTooFar"); return }
        await #expect(throws: ClockError.self) { try await check.startupCheck(logger: Logger(label: "test")) }
    }

    @Test("A server in step passes; a server 10 s behind is an error while running, not a crash")
    func inStepAndBehind() async throws {
        let good = try FakeSNTPServer(offset: 0)
        defer { good.stop() }
        let check = ClockCheck(client: ClockSettings.client(good.host))
        guard case .ok(let offset) = await check.measure() else { Issue.record("expected ok"); return }
        #expect(abs(offset) < 0.5)
        try await check.startupCheck(logger: Logger(label: "test"))

        let behind = try FakeSNTPServer(offset: -10)
        defer { behind.stop() }
        let late = ClockCheck(client: ClockSettings.client(behind.host))
        guard case .offTooFar(let lateOffset) = await late.measure() else { Issue.record("expected off"); return }
        #expect(abs(lateOffset + 10) < 0.5)
        await late.periodicCheck(logger: Logger(label: "test"))
    }

    @Test("No answer is a failure that is logged, not fatal at start-up")
    func noAnswer() async throws {
        // A UDP port with nobody listening: bind one, then close it.
        let closed = try FakeSNTPServer(offset: 0)
        let host = closed.host
        closed.stop()
        try await Task.sleep(for: .milliseconds(400))
        let check = ClockCheck(client: ClockSettings.client(host, timeout: 1))
        guard case .failed = await check.measure() else { Issue.record("expected a failure"); return }
        try await check.startupCheck(logger: Logger(label: "test"))
    }
}
