import Crypto
import Foundation
import TestTools
import Testing
@testable import Packaging

/// A payload through the whole pipeline — ASiC write, CMS encrypt (BER), CMS decrypt, ASiC read —
/// from and to files, in a child process whose peak RSS (VmHWM) is measured. A pipeline that held
/// the payload in memory would grow by at least its size.
@Suite("Streaming memory")
struct StreamingMemoryTests {
    static let childVariable = "PACKAGING_STREAMING_CHILD_MB"

    /// 64 MB in the fast suite; the heavy run sets `PACKAGING_STREAMING_MB=1024` (see BENCHMARKS.md).
    @Test("a large payload passes ASiC + CMS both ways with flat memory (child process)")
    func flatMemory() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["PACKAGING_STREAMING_MB"] ?? "") ?? 64
        let binary = ProcessInfo.processInfo.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--testing-library", "swift-testing", "--filter", "streamingChild"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: String(megabytes)]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let report = text.split(separator: "\n").first { $0.hasPrefix("STREAMING-REPORT") }
        try #require(report != nil, "the child process did not report; its output:\n\(text)")
        let fields = Dictionary(uniqueKeysWithValues: report!.split(separator: " ").dropFirst().map {
            let pair = $0.split(separator: "="); return (String(pair[0]), Int(pair[1])!)
        })
        let growth = fields["peakKB"]! - fields["baselineKB"]!
        print("streaming \(megabytes) MB: \(report!)")
        #expect(fields["ok"] == 1)
        #expect(growth < 32 * 1024, "peak RSS grew by \(growth) kB for a \(megabytes) MB payload")
        #expect(fields["peakKB"]! < 128 * 1024, "peak RSS \(fields["peakKB"]!) kB is above 128 MB")
    }

    /// Runs only inside the child process started by `flatMemory`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
    func streamingChild() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment[Self.childVariable]!)!
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let payload = directory.file("payload.bin")
        var expected = SHA256()
        try Self.writePayload(to: payload, megabytes: megabytes, hasher: &expected)
        let baseline = Self.peakRSSKilobytes()
        let start = Date()
        let pipeline = try StreamingPipeline(directory: directory, identity: identity)
        let digest = try pipeline.run(payload: payload)
        let seconds = Date().timeIntervalSince(start)
        let ok = digest == Data(expected.finalize()) ? 1 : 0
        print("STREAMING-REPORT ok=\(ok) baselineKB=\(baseline) peakKB=\(Self.peakRSSKilobytes()) ms=\(Int(seconds * 1000))")
    }

    static func writePayload(to url: URL, megabytes: Int, hasher: inout SHA256) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for index in 0..<megabytes {
            for i in stride(from: 0, to: block.count, by: 64) { block[i] = UInt8(truncatingIfNeeded: index &* 131 &+ i >> 6) }
            hasher.update(data: block)
            try handle.write(contentsOf: Data(block))
        }
    }

    static func peakRSSKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}

/// ASiC → CMS → CMS⁻¹ → ASiC reader, file to file in 64 KiB chunks.
struct StreamingPipeline {
    let directory: TemporaryDirectory
    let identity: PrivateKeyAndCertificate

    /// Returns the SHA-256 of the document as read back out of the decrypted container.
    func run(payload: URL) throws -> Data {
        let asic = directory.file("asic.zip"), cms = directory.file("asic.cms"), opened = directory.file("opened.zip")
        let manifest = EformidlingManifest(receiver: "0192:910075918", sender: "0192:910077473",
                                           primaryDocumentFilename: "payload.bin", primaryDocumentMimeType: "application/octet-stream")
        try AsicWriter(identity: identity, signingTime: Date())
            .write(manifest: manifest, documents: [AsicDocument(filename: "payload.bin", mimeType: "application/octet-stream", source: .file(payload))], to: asic)
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaOAEPSHA256)
        try Self.pipe(from: asic, to: cms, update: { try encryptor.update($0) }, finish: { try encryptor.finish() })
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
        try Self.pipe(from: cms, to: opened, update: { try decryptor.update($0) }, finish: { try decryptor.finish() })
        let reader = try AsicReader(url: opened)
        _ = try reader.verify()
        var hasher = SHA256()
        try reader.stream("payload.bin") { hasher.update(data: $0) }
        return Data(hasher.finalize())
    }

    static func pipe(from input: URL, to output: URL, update: (Data) throws -> Data, finish: () throws -> Data) throws {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let reader = try FileHandle(forReadingFrom: input), writer = try FileHandle(forWritingTo: output)
        defer { try? reader.close(); try? writer.close() }
        while let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty {
            try writer.write(contentsOf: try update(chunk))
        }
        try writer.write(contentsOf: try finish())
    }
}
