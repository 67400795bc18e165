import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal SNTP client (RFC 4330): one UDP request to port 123 of `host`, and the clock offset from the answer,
/// `((T2 - T1) + (T3 - T4)) / 2`. Positive: the local clock is behind the server.
public struct SNTPClient: Sendable {
    public var host: String
    public var port: UInt16
    public var timeout: TimeInterval

    public init(host: String, port: UInt16 = 123, timeout: TimeInterval = 5) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    public struct Answer: Sendable, Equatable {
        /// Server time minus local time, in seconds.
        public var offset: TimeInterval
        public var roundTrip: TimeInterval
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Queries the server; blocking (at most `timeout`), so call it off the cooperative pool when that matters.
    public func query() throws -> Answer {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
        hints.ai_socktype = SOCK_DGRAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(description: "cannot resolve the NTP host \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(description: "cannot open a UDP socket: errno \(errno)") }
        defer { close(fd) }
        var wait = timeval()
        wait.tv_sec = .init(timeout)
        wait.tv_usec = .init((timeout - floor(timeout)) * 1_000_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))

        var request = [UInt8](repeating: 0, count: 48)
        request[0] = 0x1B // LI 0, version 3, mode 3 (client)
        let t1 = Date()
        Self.writeTimestamp(t1, into: &request, at: 40)
        let sent = request.withUnsafeBytes { bytes in
            sendto(fd, bytes.baseAddress, 48, 0, first.pointee.ai_addr, first.pointee.ai_addrlen)
        }
        guard sent == 48 else { throw Failure(description: "cannot send to \(host):\(port): errno \(errno)") }
        var reply = [UInt8](repeating: 0, count: 48)
        let received = reply.withUnsafeMutableBytes { bytes in recv(fd, bytes.baseAddress, 48, 0) }
        let t4 = Date()
        guard received >= 48 else {
            throw Failure(description: received < 0 ? "no answer from \(host):\(port) within \(Int(timeout)) s" : "a short answer from \(host):\(port)")
        }
        let mode = reply[0] & 0x07
        guard mode == 4 || mode == 5 else { throw Failure(description: "\(host) did not answer as an NTP server (mode \(mode))") }
        guard reply[1] != 0 else { throw Failure(description: "\(host) answered kiss-o'-death (stratum 0)") }
        let t2 = Self.readTimestamp(reply, at: 32)
        let t3 = Self.readTimestamp(reply, at: 40)
        let offset = ((t2.timeIntervalSince(t1)) + (t3.timeIntervalSince(t4))) / 2
        let roundTrip = t4.timeIntervalSince(t1) - t3.timeIntervalSince(t2)
        return Answer(offset: offset, roundTrip: roundTrip)
    }

    /// Seconds between 1900-01-01 (NTP era 0) and 1970-01-01.
    static let ntpToUnix: Double = 2_208_988_800

    static func writeTimestamp(_ date: Date, into bytes: inout [UInt8], at offset: Int) {
        let seconds = date.timeIntervalSince1970 + ntpToUnix
        let whole = UInt32(truncatingIfNeeded: UInt64(seconds))
        let fraction = UInt32(truncatingIfNeeded: UInt64((seconds - floor(seconds)) * 4_294_967_296))
        for index in 0..<4 {
            bytes[offset + index] = UInt8(truncatingIfNeeded: whole >> (24 - 8 * index))
            bytes[offset + 4 + index] = UInt8(truncatingIfNeeded: fraction >> (24 - 8 * index))
        }
    }

    static func readTimestamp(_ bytes: [UInt8], at offset: Int) -> Date {
        var whole: UInt32 = 0
        var fraction: UInt32 = 0
        for index in 0..<4 {
            whole = whole << 8 | UInt32(bytes[offset + index])
            fraction = fraction << 8 | UInt32(bytes[offset + 4 + index])
        }
        return Date(timeIntervalSince1970: Double(whole) - ntpToUnix + Double(fraction) / 4_294_967_296)
    }
}
