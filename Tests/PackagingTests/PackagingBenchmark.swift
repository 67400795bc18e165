import Crypto
import Foundation
import TestTools
import Testing
@testable import Packaging

/// Throughput numbers for BENCHMARKS.md. Runs only with `PACKAGING_BENCHMARK=<megabytes>`, in release:
/// `PACKAGING_BENCHMARK=256 swift test -c release -Xswiftc -enable-testing --scratch-path .build-packaging --filter PackagingBenchmark`
@Suite("PackagingBenchmark", .enabled(if: ProcessInfo.processInfo.environment["PACKAGING_BENCHMARK"] != nil))
struct PackagingBenchmark {
    static var megabytes: Int { Int(ProcessInfo.processInfo.environment["PACKAGING_BENCHMARK"] ?? "") ?? 256 }

    static func measure(_ name: String, megabytes: Double? = nil, _ body: () throws -> Int) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        let operations = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let megabytes {
            print(String(format: "BENCH %@: %.1f MB/s (%.0f MB in %.2f s)", name, megabytes / seconds, megabytes, seconds))
        } else {
            print(String(format: "BENCH %@: %.1f /s (%d in %.2f s)", name, Double(operations) / seconds, operations, seconds))
        }
    }

    @Test func throughput() throws {
        let identity = try TestPKI.make(bits: 3072).identity()
        let size = Self.megabytes
        let chunk = Data((0..<(1 << 16)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
        try Self.measure("CMS encrypt (AES-256-CBC, OAEP, BER stream)", megabytes: Double(size)) {
            var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaOAEPSHA256)
            for _ in 0..<(size * 16) { _ = try encryptor.update(chunk) }
            _ = try encryptor.finish()
            return 0
        }
        var payload = Data(count: size << 20)
        payload.withUnsafeMutableBytes { buffer in for i in stride(from: 0, to: buffer.count, by: 4096) { buffer[i] = UInt8(i & 0xFF) } }
        let cms = try CMS.encrypt(payload, to: identity.certificateDER)
        payload = Data()
        try Self.measure("CMS decrypt (DER, AES-256-CBC, OAEP)", megabytes: Double(size)) {
            var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
            var offset = 0
            while offset < cms.count {
                _ = try decryptor.update(cms[offset..<min(offset + (1 << 16), cms.count)])
                offset += 1 << 16
            }
            _ = try decryptor.finish()
            return 0
        }
        try benchmarkAsic(identity: identity, size: size, chunk: chunk)
        try Self.measure("RSA-3072 PKCS#1 v1.5 SHA-256 signatures") {
            var count = 0
            let start = Date()
            while Date().timeIntervalSince(start) < 3 { _ = try identity.signingKey.signature(for: chunk.prefix(64), padding: .insecurePKCS1v1_5); count += 1 }
            return count
        }
    }

    func benchmarkAsic(identity: PrivateKeyAndCertificate, size: Int, chunk: Data) throws {
        let directory = try TemporaryDirectory()
        let payload = directory.file("payload.bin")
        FileManager.default.createFile(atPath: payload.path, contents: nil)
        let handle = try FileHandle(forWritingTo: payload)
        for _ in 0..<(size * 16) { try handle.write(contentsOf: chunk) }
        try handle.close()
        for (name, filename) in [("DEFLATED", "payload.txt"), ("STORED", "payload.pdf")] {
            let asic = directory.file("\(filename).zip")
            try Self.measure("ASiC write, \(name) entry", megabytes: Double(size)) {
                try AsicWriter(identity: identity, signingTime: Date())
                    .write(manifest: nil, documents: [AsicDocument(filename: filename, mimeType: "application/octet-stream", source: .file(payload))], to: asic)
                return 0
            }
            try Self.measure("ASiC read + verify digests, \(name) entry", megabytes: Double(size)) {
                _ = try AsicReader(url: asic).verify()
                return 0
            }
        }
    }
}
