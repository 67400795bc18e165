import Crypto
import Foundation

/// Writes the DPI document package: an ASiC-E container with the SDP manifest and a XAdES signature, as Digdir's
/// asic library writes it for DPI: `mimetype` (first, STORED), `manifest.xml` (the SDP manifest), the documents in
/// the given order, `META-INF/signatures.xml`, `META-INF/manifest.xml` (last).
///
/// Documents stream from their sources into the output; their digests are taken on the way. Only the manifests
/// and the signature are held in memory.
public struct XAdESAsicWriter: Sendable {
    public var identity: PrivateKeyAndCertificate
    public var signingTime: Date
    /// Where ZIP64 records start; lowered only by tests.
    var zip64Threshold: UInt64 = 0xFFFF_FFFF

    public init(identity: PrivateKeyAndCertificate, signingTime: Date) {
        self.identity = identity
        self.signingTime = signingTime
    }

    /// Writes the container into `sink`, chunk by chunk. `documents` must hold every file the manifest names
    /// and nothing it does not name.
    public func write(manifest: SDPManifest, documents: [AsicDocument], to sink: @escaping (Data) throws -> Void) throws {
        let manifestXML = try manifest.xml()
        try validate(manifest: manifest, documents: documents)
        var zip = ZipStreamWriter(modified: signingTime, sink: sink)
        zip.zip64Threshold = zip64Threshold
        try zip.add(name: "mimetype", source: .data(Data(AsicWriter.mimeType.utf8)), method: .stored)
        let entries = [AsicDocument(filename: SDPManifest.filename, mimeType: "application/xml", data: manifestXML)] + documents
        var objects: [XAdESDataObject] = []
        for entry in entries {
            let method: ZipStreamWriter.Method = MimeTypes.isAlreadyCompressed(filename: entry.filename, mimeType: entry.mimeType)
                ? .stored : .deflated
            let digest = try zip.add(name: entry.filename, source: entry.source, method: method)
            objects.append(XAdESDataObject(filename: entry.filename, mimeType: entry.mimeType, sha256: Data(digest)))
        }
        let signature = try XAdESSignature.sign(objects, identity: identity, signingTime: signingTime)
        try zip.add(name: XAdESSignature.filename, source: .data(signature), method: .deflated)
        try zip.add(name: "META-INF/manifest.xml", source: .data(AsicWriter.odfManifest(entries)), method: .deflated)
        try zip.finish()
    }

    /// Writes the container to a file.
    public func write(manifest: SDPManifest, documents: [AsicDocument], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try write(manifest: manifest, documents: documents) { try handle.write(contentsOf: $0) }
    }

    /// Writes the container into memory (small packages and tests).
    public func data(manifest: SDPManifest, documents: [AsicDocument]) throws -> Data {
        let buffer = DataBuffer()
        try write(manifest: manifest, documents: documents) { buffer.data.append($0) }
        return buffer.data
    }

    private func validate(manifest: SDPManifest, documents: [AsicDocument]) throws {
        var seen = Set<String>()
        for document in documents {
            guard AsicReader.isSafeEntryName(document.filename), document.filename != "mimetype",
                  document.filename != SDPManifest.filename, !document.filename.uppercased().hasPrefix("META-INF/") else {
                throw AsicError.invalidFilename(document.filename)
            }
            guard seen.insert(document.filename).inserted else { throw AsicError.duplicateFilename(document.filename) }
        }
        let named = Set(manifest.referencedFiles)
        if let missing = manifest.referencedFiles.first(where: { !seen.contains($0) }) {
            throw AsicError.entryNotFound(missing)
        }
        if let unnamed = documents.first(where: { !named.contains($0.filename) }) {
            throw AsicError.malformedManifest("the document '\(unnamed.filename)' is not named in the SDP manifest")
        }
    }
}
