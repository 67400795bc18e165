import Foundation
import IPConfiguration
import Logging
import Operations
import Sandbox
import Testing

@Suite("integrasjonspunkt doctor: DPF against the sandbox's KS Fiks")
struct DoctorDPFTests {
    @Test("SvarUt by ws and rest and the SvarInn mailbox answer; a wrong password is named with its keys")
    func dpf() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "sandbox")
        logger.logLevel = .critical
        let network = try await SandboxNetwork.start(
            .init(directory: folder.appendingPathComponent("sandbox"), certificateKeyBits: 2048, makeKey: DoctorTestKeys.key),
            logger: logger)
        do {
            let organisation = network.organisations[0]
            func run(_ overrides: [String]) async -> Doctor.Report {
                await Doctor().run {
                    try ConfigurationLoader.load(commandLine: overrides, environment: [:], workingDirectory: organisation.directory)
                }
            }
            for type in ["ws", "rest"] {
                let good = await run(["--difi.move.fiks.ut.type=\(type)"])
                #expect(good.finding("channel DPF")?.result == .pass, "\(good.table())")
                #expect(good.finding("channel DPF")?.detail.contains("(\(type))") == true)
                #expect(good.finding("channel DPF SvarInn")?.result == .pass, "\(good.table())")
            }
            let wrongSvarUt = await run(["--difi.move.fiks.ut.password=feil-passord"])
            let svarUt = try #require(wrongSvarUt.finding("channel DPF"))
            #expect(svarUt.result == .fail && svarUt.remedy.contains("difi.move.fiks.ut.username/password"), "\(wrongSvarUt.table())")
            #expect(!wrongSvarUt.table().contains("feil-passord"))
            let wrongSvarInn = await run(["--difi.move.fiks.inn.password=feil-passord"])
            let svarInn = try #require(wrongSvarInn.finding("channel DPF SvarInn"))
            #expect(svarInn.result == .fail && svarInn.remedy.contains("difi.move.fiks.inn.username/password"), "\(wrongSvarInn.table())")
            let sendOnly = await run(["--difi.move.fiks.inn.enable=false"])
            #expect(sendOnly.finding("channel DPF SvarInn") == nil && sendOnly.finding("channel DPF")?.result == .pass)
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
    }
}
