import Channels
import Foundation
import Synchronization
import Testing

/// A SvarUt that answers from tables and records which sender asked what.
final class RecordingSvarUt: SvarUtTransport, @unchecked Sendable {
    let kind: String
    let statusTable: [String: String]
    let eksternRefTable: [String: [String]]
    let failingSenders: Set<String>
    let calls = Mutex<[String]>([])

    init(kind: String = "ws", statuses: [String: String] = [:], eksternRefs: [String: [String]] = [:],
         failingSenders: Set<String> = []) {
        self.kind = kind
        self.statusTable = statuses
        self.eksternRefTable = eksternRefs
        self.failingSenders = failingSenders
    }

    func hasCredentials(for sender: String) -> Bool { sender != "000000000" }

    func send(_ forsendelse: Forsendelse, forsendelseId: String, documents: [SvarUtDocument],
              sender: String) async throws(SvarUtError) -> String {
        calls.withLock { $0.append("send \(sender)") }
        return forsendelseId
    }

    func statuses(of forsendelseIds: [String], sender: String) async throws(SvarUtError) -> [SvarUtForsendelseStatus] {
        calls.withLock { $0.append("statuses \(sender) \(forsendelseIds.sorted().joined(separator: ","))") }
        if failingSenders.contains(sender) { throw SvarUtError(operation: "status", status: 503, detail: "busy") }
        return forsendelseIds.compactMap { id in statusTable[id].map { SvarUtForsendelseStatus(forsendelseId: id, status: $0) } }
    }

    func forsendelseIds(eksternReferanse: String, sender: String) async throws(SvarUtError) -> [String] {
        calls.withLock { $0.append("eksternRef \(sender) \(eksternReferanse)") }
        return eksternRefTable[eksternReferanse] ?? []
    }

    func forsendelseTyper(sender: String) async throws(SvarUtError) -> [String] {
        calls.withLock { $0.append("typer \(sender)") }
        return ["arkivmelding", "Byggesak"]
    }
}

@Suite("DPF: SvarUt statuses and fault classes")
struct SvarUtStatusAndFaultTests {
    @Test("statuses are asked per sender; only LEST counts; a missing id is found by eksternRef or is unknown")
    func statusMapping() async {
        let transport = RecordingSvarUt(
            statuses: ["f1": "LEST", "f2": "MOTTATT", "f3": "AVVIST", "f4": "LEST", "f5": "LEST"],
            eksternRefs: ["m4": ["f4"]])
        let results = await SvarUtStatusChecker(transport: transport).check([
            .init(messageId: "m1", sender: "910077473", forsendelseId: "f1"),
            .init(messageId: "m2", sender: "910077473", forsendelseId: "f2"),
            .init(messageId: "m3", sender: "910000001", forsendelseId: "f3"),
            .init(messageId: "m4", sender: "910000001", forsendelseId: nil),
            .init(messageId: "m6", sender: "910000001", forsendelseId: nil),
        ])
        #expect(results.map(\.messageId) == ["m1", "m2", "m3", "m4", "m6"])
        #expect(results.map(\.outcome) == [.lest(nil), .unchanged, .unchanged, .lest(nil), .unknownAtSvarUt])
        #expect(results[3].forsendelseId == "f4")  // found by eksternRef: to be stored
        #expect(SvarUtStatusChecker.unknownDescription == "forsendelseId finnes ikke i SvarUt.")
        let calls = transport.calls.withLock { $0 }
        #expect(calls.contains("statuses 910077473 f1,f2"))
        #expect(calls.contains("statuses 910000001 f3,f4"))
        #expect(calls.contains("eksternRef 910000001 m4") && calls.contains("eksternRef 910000001 m6"))
        #expect(!calls.contains { $0.hasPrefix("eksternRef 910077473") })
    }

    @Test("a sender SvarUt cannot answer for leaves its messages followed, the others are answered")
    func failingGroup() async {
        let transport = RecordingSvarUt(statuses: ["f1": "LEST", "f2": "LEST"], failingSenders: ["910000001"])
        let results = await SvarUtStatusChecker(transport: transport).check([
            .init(messageId: "m1", sender: "910077473", forsendelseId: "f1"),
            .init(messageId: "m2", sender: "910000001", forsendelseId: "f2"),
        ])
        #expect(results[0].outcome == .lest(nil))
        guard case .failed(let reason) = results[1].outcome else {
            Issue.record("expected a failure, got \(results[1].outcome)")
            return
        }
        #expect(reason.contains("503"))
    }

    @Test("the faults §2.3 names are unrecoverable; everything else is retried")
    func faultClasses() throws {
        for text in ["Duplikat forsendelsesid", "Forsendelse med samme mottaker finnes", "Ugyldig innhold i forsendelse",
                     "Feil under lesing av dokument", "Kan ikke lagre tomt dokument"] {
            #expect(SvarUtError(operation: "send", status: 500, detail: text).isUnrecoverable, "\(text)")
        }
        for text in ["Intern feil", "Tjenesten er utilgjengelig", "duplikat"] {
            #expect(!SvarUtError(operation: "send", status: 500, detail: text).isUnrecoverable, "\(text)")
        }
        #expect(!SvarUtError(operation: "send", status: nil, detail: "connection refused").isUnrecoverable)
        #expect(SvarUtError(operation: "send", status: 401, detail: "Unauthorized").description.contains("difi.move.fiks.ut"))
    }

    @Test("a SOAP 1.2 fault is read with its reason and detail, and classified by them")
    func soapFault() throws {
        let fault = """
        <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault>
        <soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>
        <soap:Reason><soap:Text xml:lang="no">Valideringsfeil</soap:Text></soap:Reason>
        <soap:Detail><ns2:SvarUtFault xmlns:ns2="x"><melding>Kan ikke lagre tomt dokument: a.pdf</melding></ns2:SvarUtFault></soap:Detail>
        </soap:Fault></soap:Body></soap:Envelope>
        """
        let error = try #require(SvarUtSOAPEncoding.fault(in: Data(fault.utf8), status: 500))
        #expect(error.detail.contains("Valideringsfeil") && error.detail.contains("Kan ikke lagre tomt dokument"))
        #expect(error.isUnrecoverable)
        let soap11 = """
        <S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>
        <faultcode>S:Server</faultcode><faultstring>Database nede</faultstring></S:Fault></S:Body></S:Envelope>
        """
        let other = try #require(SvarUtSOAPEncoding.fault(in: Data(soap11.utf8), status: 500))
        #expect(other.detail.contains("Database nede") && !other.isUnrecoverable)
    }
}
