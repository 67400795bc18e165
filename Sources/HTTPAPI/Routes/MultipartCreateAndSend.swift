import Engine
import Foundation
import Hummingbird
import Model
import NIOCore
import Packaging

/// `POST /api/messages/out/multipart`: the `sbd` form field plus one file per part with a filename.
///
/// File parts stream straight into the payload store. Parts that arrive before the `sbd` field are spooled to a
/// temporary file first, since their rules depend on the SBD.
struct MultipartCreateAndSend {
    let messages: OutgoingMessageService
    typealias Part = MultipartFilePart<AsyncThrowingStream<[UInt8], any Error>>

    func handle(_ request: Request, context: some RequestContext) async throws -> StandardBusinessDocument {
        let boundary = try Self.boundary(request.headers[.contentType])
        let reader = MIMEMultipartReader(boundary: boundary, source: ByteBufferBytes(request.body.makeAsyncIterator()))
        let spool = Spool()
        defer { spool.removeAll() }
        var sbd: StandardBusinessDocument?
        while sbd == nil, let headers = try await nextPart(reader) {
            let disposition = try Self.disposition(headers)
            if let filename = disposition.filename {
                try await spool.keep(file(disposition, filename: filename, headers: headers), from: reader)
            } else if disposition.name == "sbd" {
                sbd = try await Self.readSBD(reader)
            }
        }
        guard let sbd else { throw NextMoveError.missingRequestParameter("sbd") }
        var spooled = spool.parts.makeIterator()
        return try await messages.createAndSend(sbd) { () async throws -> Part? in
            if let next = spooled.next() { return try next.replay() }
            while let headers = try await nextPart(reader) {
                let disposition = try Self.disposition(headers)
                guard let filename = disposition.filename else { continue }
                let stream = AsyncThrowingStream<[UInt8], any Error> { try await reader.readChunk() }
                return Part(file: file(disposition, filename: filename, headers: headers), content: stream)
            }
            return nil
        }
    }

    private func nextPart<S>(_ reader: MIMEMultipartReader<S>) async throws -> MIMEMultipartReader<S>.PartHeaders? {
        do {
            return try await reader.nextPart()
        } catch let error as MIMEMultipartError {
            throw InvalidRequest(error.description)
        }
    }

    private func file(_ disposition: ContentDisposition, filename: String,
                      headers: MIMEMultipartReader<some AsyncIteratorProtocol>.PartHeaders) -> UploadedFile {
        UploadedFile(filename: filename, title: disposition.name, contentType: headers.value("Content-Type"),
                     declaredSize: nil)
    }

    static func disposition<S>(_ headers: MIMEMultipartReader<S>.PartHeaders) throws -> ContentDisposition {
        let header = headers.value("Content-Disposition") ?? ""
        guard let disposition = ContentDisposition(parsing: header) else {
            throw InvalidRequest("A multipart part has no usable Content-Disposition header ('\(header)'); each part needs form-data; name=\"…\" and, for files, filename=\"…\".")
        }
        return disposition
    }

    static func readSBD<S>(_ reader: MIMEMultipartReader<S>) async throws -> StandardBusinessDocument {
        var bytes: [UInt8] = []
        while let chunk = try await reader.readChunk() {
            bytes.append(contentsOf: chunk)
            if bytes.count > JSONBody.maximumSize {
                throw InvalidRequest("The 'sbd' part is larger than \(JSONBody.maximumSize / 1024 / 1024) MB.")
            }
        }
        return try StandardBusinessDocument.decode(from: Data(bytes))
    }

    static func boundary(_ contentType: String?) throws -> String {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw NextMoveError.unsupportedMediaType(contentType ?? "")
        }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        throw InvalidRequest("The multipart/form-data Content-Type has no boundary parameter.")
    }
}

/// File parts that arrived before the SBD, kept in temporary files until the SBD has been read.
final class Spool: @unchecked Sendable {
    struct SpooledPart {
        var file: UploadedFile
        var url: URL

        func replay() throws -> MultipartFilePart<AsyncThrowingStream<[UInt8], any Error>> {
            let handle = try FileHandle(forReadingFrom: url)
            let stream = AsyncThrowingStream<[UInt8], any Error> {
                let data = try handle.read(upToCount: 256 * 1024) ?? Data()
                if data.isEmpty {
                    try? handle.close()
                    return nil
                }
                return [UInt8](data)
            }
            return MultipartFilePart(file: file, content: stream)
        }
    }

    private(set) var parts: [SpooledPart] = []

    func keep<S>(_ file: UploadedFile, from reader: MIMEMultipartReader<S>) async throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("integrasjonspunkt-multipart-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        parts.append(SpooledPart(file: file, url: url))
        while let chunk = try await reader.readChunk() { try handle.write(contentsOf: chunk) }
    }

    func removeAll() {
        for part in parts { try? FileManager.default.removeItem(at: part.url) }
    }
}
