#if canImport(Glibc)
import Glibc
#endif
import _CryptoExtras
import Foundation
import IPConfiguration
import Logging
import Operations
import Sandbox
import Synchronization
import Testing

/// RSA keys made once per test process (key generation is slow in debug builds).
enum DoctorTestKeys {
    private static let pool = Mutex<[String: _RSA.Signing.PrivateKey]>([:])

    @Sendable static func key(_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey {
        if let key = pool.withLock({ $0["\(purpose)-\(bits)"] }) { return key }
        let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
        return pool.withLock { $0["\(purpose)-\(bits)", default: key] }
    }
}

@Suite("integrasjonspunkt doctor against the sandbox network")
struct DoctorTests {
    func load(_ organisation: SandboxNetwork.Organisation, _ overrides: [String]) -> () throws -> LoadedConfiguration {
        {
            try ConfigurationLoader.load(commandLine: overrides, environment: [:], workingDirectory: organisation.directory)
        }
    }

    @Test("Green on a good configuration; a wrong keystore password, a closed registry port and a clock 10 s off are each named with the remedy")
    func sandbox() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "sandbox")
        logger.logLevel = .critical
        let network = try await SandboxNetwork.start(
            .init(directory: folder.appendingPathComponent("sandbox"), certificateKeyBits: 2048, makeKey: DoctorTestKeys.key),
            logger: logger)
        let clock = try FakeSNTPServer(offset: 0)
        let skewed = try FakeSNTPServer(offset: 10)
        defer {
            clock.stop()
            skewed.stop()
        }
        do {
            let organisation = network.organisations[0]
            let ntp = ["--difi.move.ntp.disable=false", "--difi.move.ntp.host=\(clock.host)"]

            let good = await Doctor().run(load: load(organisation, ntp))
            let table = good.table()
            #expect(!good.failed, "\(table)")
            for check in ["configuration", "keystore", "certificate", "clock", "database", "maskinporten",
                          "service registry", "certificate in registry", "channel DPO", "channel DPV", "channel DPI"] {
                #expect(good.finding(check)?.result == .pass, "\(check): \(table)")
            }

            let wrongPassword = await Doctor().run(load: load(organisation, ntp + ["--difi.move.org.keystore.password=wrong-password"]))
            #expect(wrongPassword.failed)
            let keystore = try #require(wrongPassword.finding("keystore"))
            #expect(keystore.result == .fail)
            #expect(keystore.remedy.contains("difi.move.org.keystore.password"), "\(wrongPassword.table())")
            #expect(!wrongPassword.table().contains("wrong-password"), "the password is never printed")

            let closedPort = try closedTCPPort()
            let noRegistry = await Doctor().run(load: load(organisation, ntp + ["--difi.move.serviceregistryEndpoint=http://127.0.0.1:\(closedPort)"]))
            #expect(noRegistry.failed)
            let registry = try #require(noRegistry.finding("service registry"))
            #expect(registry.result == .fail)
            #expect(registry.remedy.contains("cannot be reached") && registry.remedy.contains("difi.move.serviceregistryEndpoint"),
                    "\(noRegistry.table())")
            #expect(noRegistry.finding("keystore")?.result == .pass)

            let noAltinn = await Doctor().run(load: load(organisation, ntp + ["--difi.move.dpv.health-check-url=http://127.0.0.1:\(closedPort)/health-probe"]))
            let dpv = try #require(noAltinn.finding("channel DPV"))
            #expect(dpv.result == .fail)
            #expect(dpv.detail.contains("127.0.0.1:\(closedPort)") && dpv.remedy.contains("difi.move.dpv.health-check-url"),
                    "\(noAltinn.table())")

            let offClock = await Doctor().run(load: load(organisation, ["--difi.move.ntp.disable=false", "--difi.move.ntp.host=\(skewed.host)"]))
            #expect(offClock.failed)
            let clockFinding = try #require(offClock.finding("clock"))
            #expect(clockFinding.result == .fail)
            // About +10 s: the SNTP estimate moves by a few milliseconds with the round trip on a loaded machine.
            let offset = clockFinding.detail.firstMatch(of: #/([+-][0-9]+\.[0-9]+) s off/#).flatMap { Double($0.output.1) }
            #expect(offset.map { abs($0 - 10) < 0.5 } == true && clockFinding.remedy.contains("NTP"), "\(offClock.table())")
            #expect(offClock.finding("service registry")?.result == .pass)
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
    }

    @Test("A configuration with problems fails with every problem at once")
    func badConfiguration() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "difi.move.org.number=12345\ndifi.security.user.password=\n".write(
            to: folder.appendingPathComponent("integrasjonspunkt-local.properties"), atomically: true, encoding: .utf8)
        let report = await Doctor().run {
            try ConfigurationLoader.load(commandLine: [], environment: [:], workingDirectory: folder)
        }
        #expect(report.failed)
        let finding = try #require(report.finding("configuration"))
        #expect(finding.result == .fail)
        #expect(finding.detail.contains("difi.move.org.number") && finding.detail.contains("problems:"),
                "\(report.table())")
        #expect(report.table().contains("FAIL"))
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on.
func closedTCPPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
