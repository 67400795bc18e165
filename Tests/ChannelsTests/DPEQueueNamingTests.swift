import Channels
import Testing

@Suite("DPE: queue names nextbestqueue<orgnr><suffix>")
struct DPEQueueNamingTests {
    @Test("our own queue is nextbestqueue<own orgnr><mode>", arguments: ServiceBusQueueMode.allCases)
    func ownQueue(mode: ServiceBusQueueMode) {
        #expect(DPEQueueNaming(ownOrganisationNumber: "910077473", mode: mode).ownQueue == "nextbestqueue910077473\(mode.rawValue)")
    }

    @Test("a status goes to receiptQueue when set, else data from innsyn mode and innsyn from data and meeting mode",
          arguments: [
              (ServiceBusQueueMode.innsyn, nil as String?, "data"),
              (.data, nil, "innsyn"),
              (.meeting, nil, "innsyn"),
              (.innsyn, "kvittering", "kvittering"),
              (.data, "kvittering", "kvittering"),
              (.innsyn, "  ", "data"),
          ])
    func statusQueue(mode: ServiceBusQueueMode, receiptQueue: String?, suffix: String) throws {
        let naming = DPEQueueNaming(ownOrganisationNumber: "910075918", mode: mode, receiptQueue: receiptQueue)
        #expect(try naming.queue(for: .status, receiver: "910077473") == "nextbestqueue910077473\(suffix)")
    }

    @Test("an einnsyn_kvittering goes to receiptQueue when set, else data for an innsynskrav and innsyn otherwise",
          arguments: [
              ("innsynskrav" as String?, nil as String?, "data"),
              ("INNSYNSKRAV", nil, "data"),
              ("publisering", nil, "innsyn"),
              (nil, nil, "innsyn"),
              ("innsynskrav", "egen", "egen"),
              ("publisering", "egen", "egen"),
          ])
    func kvitteringQueue(referanseType: String?, receiptQueue: String?, suffix: String) throws {
        for mode in ServiceBusQueueMode.allCases {
            let naming = DPEQueueNaming(ownOrganisationNumber: "910075918", mode: mode, receiptQueue: receiptQueue)
            #expect(try naming.queue(for: .einnsynKvittering(referanseType: referanseType), receiver: "0192:910077473")
                == "nextbestqueue910077473\(suffix)", "mode \(mode)")
        }
    }

    @Test("a business message goes to the endpointUrl of the receiver's service record; none is a clear error")
    func businessMessageQueue() throws {
        let naming = DPEQueueNaming(ownOrganisationNumber: "910077473", receiptQueue: "ignored-here")
        #expect(try naming.queue(for: .businessMessage(endpointURL: "innsyn"), receiver: "910075918") == "nextbestqueue910075918innsyn")
        #expect(try naming.queue(for: .businessMessage(endpointURL: "data"), receiver: "0192:910075918:987654321") == "nextbestqueue910075918data")
        let error = #expect(throws: DPEQueueNaming.NamingError.self) {
            _ = try naming.queue(for: .businessMessage(endpointURL: ""), receiver: "910075918")
        }
        #expect(error?.description.contains("no endpointUrl") == true)
        #expect(throws: DPEQueueNaming.NamingError.self) {
            _ = try naming.queue(for: .status, receiver: "91007 5918/..")
        }
    }
}
