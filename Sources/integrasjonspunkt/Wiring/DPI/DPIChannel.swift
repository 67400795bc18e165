import Channels
import Engine
import Foundation
import Model
import Packaging

/// The engine's DPI channel: a `digital` letter to the citizen's mailbox, or a `print` letter to the print provider.
struct DPIChannel: MessageChannel {
    let serviceIdentifier: ServiceIdentifier = .DPI
    let transport: DPITransport
    let registry: ServiceRegistryClient
    let printProviders: KRRPrintClient
    let factory: DPIShipmentFactory
    let spoolDirectory: URL
    let time: any TimeSource

    /// §3.4 item 7: a print letter to a citizen gets the registry's postal and return addresses where it has none.
    func applyDefaults(to sbd: inout StandardBusinessDocument) async throws {
        guard case .print = sbd.businessMessage, sbd.receiver != nil else { return }
        let record = try await createTimeRecord(of: sbd)
        SBDDefaults.applyPrintAddresses(to: &sbd, postAddress: record.postAddress, returnAddress: record.returnAddress)
    }

    /// A digital letter needs a mailbox: the registry's DPI record must name the postbox provider, the address and
    /// the provider's certificate. Without them the letter could never be delivered, so the client hears it now.
    func checkCreate(_ sbd: StandardBusinessDocument) async throws {
        guard case .digital = sbd.businessMessage else { return }
        let record = try await createTimeRecord(of: sbd)
        do {
            _ = try DPIRecipient(digitalPostRecord: record)
        } catch {
            throw NextMoveError.receiverDoesNotAcceptProcess(
                sbd.processIdentifier ?? "null",
                description: "\(error) The receiver \(sbd.receiverIdentifier ?? "") has no digital mailbox; send the letter as print (type print, document type urn:no:difi:digitalpost:xsd:fysisk::print).")
        }
    }

    func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt {
        let sbd = try delivery.decodedSBD()
        do {
            let recipient = try await recipient(for: sbd)
            let spool = try DeliverySpool(delivery.files, in: spoolDirectory)
            defer { spool.remove() }
            let files = zip(delivery.files, try await spool.documents()).map { file, document in
                DPIFile(filename: file.filename, mimeType: file.mimeType, title: file.title, source: document.source)
            }
            let shipment = try factory.shipment(for: sbd, files: files, recipient: recipient, now: time.now)
            try await transport.send(shipment, now: time.now)
            return SendReceipt(pollsStatus: true)
        } catch {
            throw ChannelError.classifying(error)
        }
    }

    /// The mailbox from the citizen's DPI record (digital), or the print provider from the contact register (print),
    /// with the citizen's language when the letter has a receiver.
    private func recipient(for sbd: StandardBusinessDocument) async throws -> DPIRecipient {
        switch sbd.businessMessage {
        case .digital:
            return try DPIRecipient(digitalPostRecord: try await record(of: sbd))
        case .print:
            let language = sbd.receiver == nil ? nil : try await record(of: sbd).spraak
            return DPIRecipient(printProvider: try await printProviders.printProvider(), language: language)
        default:
            throw DPIError.invalidMessage("only digital and print messages go by DPI, not \(sbd.messageType.rawValue)")
        }
    }

    private func record(of sbd: StandardBusinessDocument) async throws -> ServiceRecord {
        guard let receiver = sbd.receiverIdentifier else { throw DPIError.invalidMessage("the message has no receiver") }
        return try await registry.serviceRecord(for: receiver, process: sbd.processIdentifier ?? "",
                                                documentType: sbd.documentType ?? "", securityLevel: sbd.sikkerhetsnivaa,
                                                conversationId: sbd.conversationId)
    }

    /// The receiver's record at create, with the registry's failures as the API's errors.
    private func createTimeRecord(of sbd: StandardBusinessDocument) async throws -> ServiceRecord {
        do {
            return try await record(of: sbd)
        } catch let error as ServiceRegistryError {
            if error.isTransient { throw NextMoveError.serviceRegistryUnavailable(error.description) }
            throw NextMoveError.receiverDoesNotAcceptProcess(sbd.processIdentifier ?? "null", description: error.description)
        }
    }
}
