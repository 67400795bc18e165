import Foundation
import NoarkExchange

/// The SOAP 1.2 bodies of `ForsendelsesServiceV9` (`http://www.ks.no/svarut/servicesV9`) and the reading of its
/// answers. The schema is `elementFormDefault="unqualified"`: only the operation element is namespaced; children
/// follow the sequence order of the WSDL's types. Document bytes are not inlined: each `dokumenter/data` holds an
/// `xop:Include` of the MTOM part that carries it (`SvarUtSOAPClient`).
public enum SvarUtSOAPEncoding {
    public static let namespace = "http://www.ks.no/svarut/servicesV9"
    public static let soapNamespace = "http://www.w3.org/2003/05/soap-envelope"
    static let xopNamespace = "http://www.w3.org/2004/08/xop/include"
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    /// `sendForsendelseMedId`; `contentIDs[i]` names the MTOM part of `forsendelse.dokumenter[i]`.
    public static func sendForsendelseMedId(_ f: Forsendelse, forsendelseId: String, contentIDs: [String]) -> String {
        envelope("sendForsendelseMedId") { w in
            w.open("forsendelse")
            w.element("avgivendeSystem", f.avgivendeSystem)
            for (dokument, contentID) in zip(f.dokumenter, contentIDs) {
                w.open("dokumenter")
                w.open("data")
                w.raw("<xop:Include xmlns:xop=\"\(xopNamespace)\" href=\"cid:\(XMLWriter.escape(contentID))\"/>")
                w.close("data")
                w.element("ekskluderesFraPrint", String(dokument.ekskluderesFraPrint ?? false))
                w.element("filnavn", dokument.filnavn)
                w.element("mimetype", dokument.mimetype)
                w.element("skalSigneres", "false")
                w.close("dokumenter")
            }
            w.element("eksternref", f.eksternReferanse)
            w.element("forsendelseType", f.forsendelseType)
            w.element("konteringskode", f.konteringskode)
            w.element("krevNiva4Innlogging", String(f.sikkerhetsnivaa == .hoyeste))
            w.element("kryptert", String(f.kryptert))
            w.element("kunDigitalLevering", String(f.kunDigitalLevering))
            metadata(f.metadataFraAvleverendeSystem, into: &w)
            address("mottaker", f.mottaker, into: &w)
            w.open("printkonfigurasjon")
            w.element("brevtype", f.printkonfigurasjon.brevtype)
            w.element("fargePrint", String(f.printkonfigurasjon.fargePrint))
            w.element("tosidig", String(f.printkonfigurasjon.tosidig))
            w.close("printkonfigurasjon")
            w.raw("<signaturtype xsi:nil=\"true\"/><signeringUtloper xsi:nil=\"true\"/>")
            w.element("svarPaForsendelse", f.svarPaForsendelse)
            w.element("svarPaForsendelseLink", "false")
            address("svarSendesTil", f.svarSendesTil, into: &w)
            w.element("tittel", f.tittel)
            w.close("forsendelse")
            w.element("forsendelsesid", forsendelseId)
        }
    }

    public static func retrieveForsendelseStatuser(_ ids: [String]) -> String {
        envelope("retrieveForsendelseStatuser") { w in
            for id in ids { w.element("forsendelseider", id) }
        }
    }

    public static func retrieveForsendelseIdByEksternRef(_ eksternRef: String) -> String {
        envelope("retrieveForsendelseIdByEksternRef") { w in w.element("eksternRef", eksternRef) }
    }

    public static func retreiveForsendelseTyper() -> String {
        envelope("retreiveForsendelseTyper") { _ in }
    }

    static func envelope(_ operation: String, body: (inout XMLWriter) -> Void) -> String {
        var w = XMLWriter()
        w.open("soap:Envelope", ["xmlns:soap": soapNamespace])
        w.open("soap:Body")
        w.open("ns2:\(operation)", ["xmlns:ns2": namespace, "xmlns:xsi": xsiNamespace])
        body(&w)
        w.close("ns2:\(operation)")
        w.close("soap:Body")
        w.close("soap:Envelope")
        return w.text
    }

    private static func metadata(_ m: Forsendelse.NoarkMetadata, into w: inout XMLWriter) {
        w.open("metadataFraAvleverendeSystem")
        w.element("dokumentetsDato", m.dokumentetsDato?.startOfDayInOslo.description)
        for entry in m.ekstraMetadata {
            w.open("ekstraMetadata")
            w.element("key", entry.key)
            w.element("value", entry.value)
            w.close("ekstraMetadata")
        }
        w.element("journalaar", String(m.journalaar))
        w.element("journaldato", m.journaldato?.startOfDayInOslo.description)
        w.element("journalpostnummer", String(m.journalpostnummer))
        w.element("journalposttype", m.journalposttype)
        w.element("journalsekvensnummer", String(m.journalsekvensnummer))
        w.element("journalstatus", m.journalstatus)
        w.element("saksaar", String(m.saksaar))
        w.element("saksbehandler", m.saksbehandler)
        w.element("sakssekvensnummer", String(m.sakssekvensnummer))
        w.element("tittel", m.tittel)
        w.close("metadataFraAvleverendeSystem")
    }

    private static func address(_ name: String, _ a: Forsendelse.Adresse, into w: inout XMLWriter) {
        w.open(name)
        w.open("digitalAdresse", ["xsi:type": "ns2:organisasjonDigitalAdresse"])
        w.element("orgnr", a.orgnr)
        w.close("digitalAdresse")
        w.open("postAdresse")
        w.element("adresse1", a.adresse1)
        w.element("land", a.land)
        w.element("navn", a.navn)
        w.element("postnr", a.postnr)
        w.element("poststed", a.poststed)
        w.close("postAdresse")
        w.close(name)
    }

    // MARK: Answers

    /// The operation's response element, or the fault as a `SvarUtError`.
    static func responseElement(_ envelope: Data, operation: String, status: Int) throws(SvarUtError) -> XMLTree {
        let root: XMLTree
        do { root = try XMLTree.parse(envelope) } catch {
            throw SvarUtError(operation: operation, status: status,
                              detail: "the answer is not a SOAP envelope (\(error)): \(String(decoding: envelope.prefix(500), as: UTF8.self))",
                              isUnrecoverable: false)
        }
        guard root.name == "Envelope", let body = root.child("Body") else {
            throw SvarUtError(operation: operation, status: status, detail: "the answer has no SOAP Body", isUnrecoverable: false)
        }
        if let fault = body.child("Fault") {
            throw SvarUtError(operation: operation, status: status, detail: faultText(fault))
        }
        guard let response = body.children.first else {
            throw SvarUtError(operation: operation, status: status, detail: "the SOAP Body is empty", isUnrecoverable: false)
        }
        return response
    }

    /// The fault an answer envelope carries, classified; nil when it carries none.
    public static func fault(in envelope: Data, status: Int) -> SvarUtError? {
        guard let root = try? XMLTree.parse(envelope), let fault = root.child("Body")?.child("Fault") else { return nil }
        return SvarUtError(operation: "call", status: status, detail: faultText(fault))
    }

    /// The fault's code, reason and detail as one line (SOAP 1.2 `Code/Value`, `Reason/Text`, `Detail`; SOAP 1.1
    /// `faultcode`, `faultstring`, `detail`).
    static func faultText(_ fault: XMLTree) -> String {
        func allText(_ tree: XMLTree) -> String {
            ([tree.text] + tree.children.map(allText)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        let reason = fault.child("Reason").map(allText) ?? fault.value("faultstring") ?? ""
        let code = fault.child("Code").map(allText) ?? fault.value("faultcode") ?? ""
        let detail = (fault.child("Detail") ?? fault.child("detail")).map(allText) ?? ""
        return [reason, detail.isEmpty ? nil : "detail: \(detail)", code.isEmpty ? nil : "code: \(code)"]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The texts of the response's `return` elements.
    static func returns(_ response: XMLTree) -> [String] {
        response.children("return").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
