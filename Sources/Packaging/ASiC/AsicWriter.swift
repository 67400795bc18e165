import Crypto
import Foundation

/// Writes an ASiC-E container with a CAdES signature, as eFormidling sends it (asic-e.md, DECISIONS.md 9):
/// `mimetype` (first, STORED), `manifest.xml`, the documents (primary first), `META-INF/ASiCManifest.xml`,
/// `META-INF/signature-<uuid>.p7s`, `META-INF/manifest.xml` (last).
///
/// Documents stream from their sources straight into the output; only the manifests are held in memory.
public struct AsicWriter: Sendable {
    public static let mimeType = "application/vnd.etsi.asic-e+zip"

    public var identity: PrivateKeyAndCertificate
    public var signingTime: Date
    public var signatureID: UUID
    /// Where ZIP64 records start; lowered only by tests to exercise them without 4 GiB files.
    var zip64Threshold: UInt64 = 0xFFFF_FFFF

    public init(identity: PrivateKeyAndCertificate, signingTime: Date, signatureID: UUID = UUID()) {
        self.identity = identity
        self.signingTime = signingTime
        self.signatureID = signatureID
    }

    public var signatureFilename: String { "META-INF/signature-\(signatureID.uuidString.lowercased()).p7s" }

    /// Writes the container into `sink`, chunk by chunk.
    public func write(manifest: EformidlingManifest?, documents: [AsicDocument], to sink: @escaping (Data) throws -> Void) throws {
        let ordered = try orderAndValidate(manifest: manifest, documents: documents)
        var zip = ZipStreamWriter(modified: signingTime, sink: sink)
        zip.zip64Threshold = zip64Threshold
        try zip.add(name: "mimetype", source: .data(Data(Self.mimeType.utf8)), method: .stored)
        var references: [AsicManifest.Reference] = []
        for document in ordered {
            let method: ZipStreamWriter.Method = MimeTypes.isAlreadyCompressed(filename: document.filename, mimeType: document.mimeType)
                ? .stored : .deflated
            let digest = try zip.add(name: document.filename, source: document.source, method: method)
            references.append(.init(uri: document.filename, mimeType: document.mimeType,
                                    digestAlgorithm: AsicManifest.sha256URI, digest: Data(digest)))
        }
        let asicManifest = AsicManifest(signatureURI: signatureFilename, references: references).xml()
        try zip.add(name: "META-INF/ASiCManifest.xml", source: .data(asicManifest), method: .deflated)
        let signature = try CAdESSignature.sign(asicManifest, identity: identity, signingTime: signingTime)
        try zip.add(name: signatureFilename, source: .data(signature), method: .deflated)
        try zip.add(name: "META-INF/manifest.xml", source: .data(Self.odfManifest(ordered)), method: .deflated)
        try zip.finish()
    }

    /// Writes the container to a file.
    public func write(manifest: EformidlingManifest?, documents: [AsicDocument], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try write(manifest: manifest, documents: documents) { try handle.write(contentsOf: $0) }
    }

    /// Writes the container into memory (small messages and tests).
    public func data(manifest: EformidlingManifest?, documents: [AsicDocument]) throws -> Data {
        let buffer = DataBuffer()
        try write(manifest: manifest, documents: documents) { buffer.data.append($0) }
        return buffer.data
    }

    /// manifest.xml first, then the primary document, then the rest in upload order.
    private func orderAndValidate(manifest: EformidlingManifest?, documents: [AsicDocument]) throws -> [AsicDocument] {
        var ordered = documents
        if let manifest, let primary = ordered.firstIndex(where: { $0.filename == manifest.primaryDocumentFilename }) {
            ordered.insert(ordered.remove(at: primary), at: 0)
        }
        if let manifest {
            ordered.insert(AsicDocument(filename: EformidlingManifest.filename, mimeType: "application/xml", data: manifest.xml()), at: 0)
        }
        var seen = Set<String>()
        for document in ordered {
            guard AsicReader.isSafeEntryName(document.filename), document.filename != "mimetype",
                  !document.filename.uppercased().hasPrefix("META-INF/") else {
                throw AsicError.invalidFilename(document.filename)
            }
            guard seen.insert(document.filename).inserted else { throw AsicError.duplicateFilename(document.filename) }
        }
        return ordered
    }

    static func odfManifest(_ documents: [AsicDocument]) -> Data {
        let e = XMLEscaping.escape
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
            <manifest:file-entry manifest:full-path="/" manifest:media-type="\(mimeType)"/>

        """
        for document in documents {
            xml += "    <manifest:file-entry manifest:full-path=\"\(e(document.filename))\" manifest:media-type=\"\(e(document.mimeType))\"/>\n"
        }
        return Data((xml + "</manifest:manifest>\n").utf8)
    }
}

/// A reference box for collecting output in a closure.
final class DataBuffer: @unchecked Sendable {
    var data = Data()
}
