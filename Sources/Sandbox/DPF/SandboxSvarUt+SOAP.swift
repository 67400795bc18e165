import Foundation
import Hummingbird
import Model
import NIOCore
import NoarkExchange
import Packaging

/// The SOAP 1.2 `ForsendelsesServiceV9` of the sandbox SvarUt: `sendForsendelseMedId` (documents as MTOM parts
/// or inline base64), `retrieveForsendelseStatuser`, `retrieveForsendelseIdByEksternRef`, `retreiveForsendelseTyper`.
extension SandboxSvarUt {
    static let servicesNamespace = "http://www.ks.no/svarut/servicesV9"
    static let envelopeLimit = 16 << 20

    func soap(_ request: Request) async throws -> Response {
        guard let (username, password) = HTTPAnswer.basicCredentials(request),
              let account = state.withLock({ $0.soapAccounts[username] }), account.password == password else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Basic realm=\"SvarUt\""
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Unauthorized")))
        }
        let scratch = storageDirectory.appendingPathComponent("incoming-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (envelope, attachments): (Data, [String: URL])
        do {
            (envelope, attachments) = try await Self.readSOAPRequest(request, into: scratch)
        } catch {
            return Self.fault("Feil under lesing av forespørselen: \(error)", code: "soap:Sender", status: .badRequest)
        }
        guard let root = try? XMLTree.parse(envelope), let operation = root.child("Body")?.children.first else {
            return Self.fault("Feil under lesing av SOAP-meldingen", code: "soap:Sender", status: .badRequest)
        }
        let sender = account.organisation
        switch operation.name {
        case "sendForsendelseMedId", "sendForsendelse":
            if let fault = soapFault(.send) { return fault }
            return try sendForsendelse(operation, envelope: envelope, attachments: attachments, sender: sender)
        case "retrieveForsendelseStatuser":
            if let fault = soapFault(.status) { return fault }
            let ids = operation.children("forsendelseider").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Self.response("retrieveForsendelseStatuserResponse") { w in
                for forsendelse in statuses(of: ids, sender: sender) {
                    w.open("return")
                    w.element("forsendelseStatus", forsendelse.status)
                    w.element("forsendelsesid", forsendelse.id)
                    w.element("sisteStatusEndring", OsloTime.format(forsendelse.statusChanged))
                    w.close("return")
                }
            }
        case "retrieveForsendelseIdByEksternRef":
            if let fault = soapFault(.eksternRef) { return fault }
            let ids = self.ids(eksternReferanse: operation.value("eksternRef") ?? "", sender: sender)
            return Self.response("retrieveForsendelseIdByEksternRefResponse") { w in for id in ids { w.element("return", id) } }
        case "retreiveForsendelseTyper":
            if let fault = soapFault(.forsendelseTyper) { return fault }
            let types = forsendelseTyper
            return Self.response("retreiveForsendelseTyperResponse") { w in for type in types { w.element("return", type) } }
        default:
            return Self.fault("Ukjent operasjon \(operation.name)", code: "soap:Sender", status: .badRequest)
        }
    }

    private func sendForsendelse(_ operation: XMLTree, envelope: Data, attachments: [String: URL], sender: String) throws -> Response {
        guard let f = operation.child("forsendelse") else { return Self.fault("Ugyldig innhold: forsendelse mangler") }
        let id = operation.value("forsendelsesid") ?? UUID().uuidString.lowercased()
        guard let tittel = f.value("tittel") else { return Self.fault("Ugyldig innhold: tittel mangler") }
        guard let receiver = f.child("mottaker")?.child("digitalAdresse")?.value("orgnr") else {
            return Self.fault("Ugyldig innhold: mottaker mangler organisasjonsnummer")
        }
        var dokumenter: [Forsendelse.Dokument] = []
        for (index, dokument) in f.children("dokumenter").enumerated() {
            guard let filnavn = dokument.value("filnavn"), let data = dokument.child("data") else {
                return Self.fault("Ugyldig innhold: dokument \(index + 1) mangler filnavn eller data")
            }
            let file: URL
            if let href = data.child("Include")?.attributes["href"] {
                let cid = href.hasPrefix("cid:") ? String(href.dropFirst(4)) : href
                guard let attached = attachments[cid.removingPercentEncoding ?? cid] else {
                    return Self.fault("Feil under lesing av dokument \(filnavn): vedlegget \(href) finnes ikke")
                }
                file = attached
            } else {
                file = storageDirectory.appendingPathComponent("inline-\(UUID().uuidString)")
                let bytes = Data(base64Encoded: data.text.filter { !$0.isWhitespace }) ?? Data()
                try bytes.write(to: file)
            }
            let size = Self.fileSize(file)
            guard size > 0 else { return Self.fault("Kan ikke lagre tomt dokument: \(filnavn)") }
            dokumenter.append(.init(filnavn: filnavn, mimetype: dokument.value("mimetype") ?? "application/octet-stream",
                                    file: file, size: size,
                                    ekskluderesFraPrint: dokument.value("ekskluderesFraPrint").map { $0 == "true" }))
        }
        guard !dokumenter.isEmpty else { return Self.fault("Ugyldig innhold: forsendelsen har ingen dokumenter") }
        if let type = f.value("forsendelseType"), !forsendelseTyper.contains(type) {
            return Self.fault("Ugyldig innhold: ukjent forsendelseType \(type)")
        }
        let forsendelse = Forsendelse(
            id: id, transport: "ws", sender: sender, receiver: receiver, eksternReferanse: f.value("eksternref"),
            tittel: tittel, forsendelseType: f.value("forsendelseType"), kryptert: f.value("kryptert") == "true",
            sikkerhetsnivaa: f.value("krevNiva4Innlogging") == "true" ? "HOYESTE" : "BETYDELIG",
            svarPaForsendelse: f.value("svarPaForsendelse"),
            svarSendesTil: f.child("svarSendesTil")?.child("digitalAdresse")?.value("orgnr"),
            dokumenter: try keep(dokumenter, id: id), status: "MOTTATT", statusChanged: now(),
            request: String(decoding: envelope, as: UTF8.self))
        guard accept(forsendelse) else { return Self.fault("Duplikat forsendelsesid \(id)") }
        return Self.response(operation.name + "Response") { w in w.element("return", id) }
    }

    private func soapFault(_ operation: Operation) -> Response? {
        switch injectedFault(operation) {
        case nil: return nil
        case .text(let text): return Self.fault(text)
        case .status(let code): return HTTPAnswer.text("Injected failure", status: HTTPResponse.Status(code: code))
        }
    }

    /// The envelope (the MTOM root part, or the whole body) and the other parts, by Content-ID, written to files.
    static func readSOAPRequest(_ request: Request, into folder: URL) async throws -> (Data, [String: URL]) {
        let contentType = request.headers[.contentType] ?? ""
        guard MIMEHeaderValue.mediaType(contentType) == "multipart/related",
              let boundary = MIMEHeaderValue.parameter("boundary", in: contentType) else {
            return (try await HTTPAnswer.collectBody(request, limit: envelopeLimit), [:])
        }
        let start = MIMEHeaderValue.parameter("start", in: contentType)
        let reader = MIMEMultipartReader(boundary: boundary,
                                         source: request.body.map { Array($0.readableBytesView) }.makeAsyncIterator())
        var envelope: Data?
        var attachments: [String: URL] = [:]
        while let part = try await reader.nextPart() {
            let contentID = part.value("Content-ID").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) } ?? ""
            if envelope == nil && (start == nil || part.value("Content-ID") == start) {
                envelope = Data(try await reader.readAll(limit: envelopeLimit))
                continue
            }
            let file = folder.appendingPathComponent("part-\(attachments.count)")
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            while let chunk = try await reader.readChunk() { try handle.write(contentsOf: Data(chunk)) }
            attachments[contentID] = file
        }
        guard let envelope else { throw MIMEMultipartError("the MTOM request has no root part") }
        return (envelope, attachments)
    }

    static func response(_ element: String, body: (inout XMLWriter) -> Void) -> Response {
        var w = XMLWriter()
        w.open("soap:Envelope", ["xmlns:soap": "http://www.w3.org/2003/05/soap-envelope"])
        w.open("soap:Body")
        w.open("ns2:\(element)", ["xmlns:ns2": servicesNamespace])
        body(&w)
        w.close("ns2:\(element)")
        w.close("soap:Body")
        w.close("soap:Envelope")
        return HTTPAnswer.text(w.text, contentType: "application/soap+xml; charset=utf-8")
    }

    /// A SOAP 1.2 fault, as the CXF service behind SvarUt answers it (HTTP 500 for `soap:Receiver`).
    static func fault(_ text: String, code: String = "soap:Receiver", status: HTTPResponse.Status = .internalServerError) -> Response {
        var w = XMLWriter()
        w.open("soap:Envelope", ["xmlns:soap": "http://www.w3.org/2003/05/soap-envelope"])
        w.open("soap:Body")
        w.open("soap:Fault")
        w.open("soap:Code")
        w.element("soap:Value", code)
        w.close("soap:Code")
        w.open("soap:Reason")
        w.open("soap:Text", ["xml:lang": "no"])
        w.raw(XMLWriter.escape(text))
        w.close("soap:Text")
        w.close("soap:Reason")
        w.close("soap:Fault")
        w.close("soap:Body")
        w.close("soap:Envelope")
        return HTTPAnswer.text(w.text, status: status, contentType: "application/soap+xml; charset=utf-8")
    }
}
