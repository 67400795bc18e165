import Foundation

/// The defaults the upstream fills in when a message is created (`NextMoveOutMessageFactory.setDefaults`,
/// `nextmove-api.md` §3.4), as pure functions over the SBD with injected clock and UUID generator.
public enum SBDDefaults {
    /// Items 1–3 and 5 of §3.4, plus the `print` defaults of item 7 that need no service registry data:
    /// 1. no sender → `0192:<own org>`;
    /// 2. no messageId → `uuid()`; no `creationDateAndTime` → now (Oslo offset);
    /// 3. no `expectedResponseDateTime` → now + `defaultTtlHours`, in the ConversationId scope's first
    ///    `scopeInformation` (created when empty); no ConversationId scope → `Missing conversation ID scope!`;
    /// 5. every scope without `instanceIdentifier` → `uuid()`;
    /// 7. `print`: `utskriftsfarge` `SORT_HVIT`, `posttype` `B_OEKONOMI` when absent.
    /// UUIDs are drawn in this order: messageId, then scopes in document order.
    public static func apply(to sbd: inout StandardBusinessDocument, ownOrgNumber: String, now: Date,
                             defaultTtlHours: Int, uuid: () -> String) throws(NextMoveError) {
        var header = sbd.standardBusinessDocumentHeader
        if header.sender?.isEmpty ?? true {
            header.sender = [Partner(.organization(ownOrgNumber))]
        }
        var identification = header.documentIdentification ?? DocumentIdentification()
        if identification.instanceIdentifier?.isEmpty ?? true { identification.instanceIdentifier = uuid() }
        if identification.creationDateAndTime == nil { identification.creationDateAndTime = OffsetDateTime(oslo: now) }
        header.documentIdentification = identification
        sbd.standardBusinessDocumentHeader = header

        var scopes = sbd.scopes
        guard let conversation = scopes.firstIndex(where: { $0.scopeType == .conversationId }) else {
            throw .missingConversationIdScope
        }
        if !scopes[conversation].scopeInformation.contains(where: { $0.expectedResponseDateTime != nil }) {
            let expiry = OffsetDateTime(oslo: now.addingTimeInterval(TimeInterval(defaultTtlHours) * 3600))
            if scopes[conversation].scopeInformation.isEmpty {
                scopes[conversation].scopeInformation = [CorrelationInformation()]
            }
            scopes[conversation].scopeInformation[0].expectedResponseDateTime = expiry
        }
        for index in scopes.indices where scopes[index].instanceIdentifier?.isEmpty ?? true {
            scopes[index].instanceIdentifier = uuid()
        }
        sbd.scopes = scopes

        if case .print(var print) = sbd.businessMessage {
            if print.utskriftsfarge == nil { print.utskriftsfarge = "SORT_HVIT" }
            if print.posttype == nil { print.posttype = "B_OEKONOMI" }
            sbd.businessMessage = .print(print)
        }
    }

    /// "På vegne av" (`OnBehalfOfNormalizer`, §2.2.1 step 2): an ISO 6523 sender without part identifier whose org
    /// number is not ours becomes `0192:<own>:<given>`. Unparseable or absent senders are left alone.
    public static func normalizeOnBehalfOf(_ sbd: inout StandardBusinessDocument, ownOrgNumber: String) {
        guard let partner = sbd.standardBusinessDocumentHeader.sender?.first,
              let sender = StandardBusinessDocument.parsePartner(partner), sender.isOrganization else { return }
        let normalized = sender.normalizedOnBehalfOf(ownOrgNumber: ownOrgNumber)
        guard normalized != sender else { return }
        var updated = partner
        updated.identifier?.value = normalized.fullIdentifier
        sbd.standardBusinessDocumentHeader.sender?[0] = updated
    }

    /// §3.4 item 6 (DPO with `difi.move.dpo.messageChannel` configured): add a MessageChannel scope
    /// (`identifier` = channel, `instanceIdentifier` = `uuid()`), or complete an existing one.
    public static func applyMessageChannel(to sbd: inout StandardBusinessDocument, channel: String,
                                           uuid: () -> String) {
        var scopes = sbd.scopes
        if let index = scopes.firstIndex(where: { $0.scopeType == .messageChannel }) {
            if scopes[index].identifier?.isEmpty ?? true { scopes[index].identifier = channel }
            if scopes[index].instanceIdentifier?.isEmpty ?? true { scopes[index].instanceIdentifier = uuid() }
        } else {
            scopes.append(Scope(.messageChannel, instanceIdentifier: uuid(), identifier: channel))
        }
        sbd.scopes = scopes
    }

    /// §3.4 item 4 (DPH): the ConversationId scope's `instanceIdentifier` defaults to the messageId.
    /// Apply before `apply(to:…)` so the messageId is not replaced by a fresh UUID.
    public static func applyDphConversationId(to sbd: inout StandardBusinessDocument) {
        guard sbd.conversationId?.isEmpty ?? true, let messageId = sbd.messageId, !messageId.isEmpty,
              sbd.scope(.conversationId) != nil else { return }
        sbd.conversationId = messageId
    }
}

extension SBDDefaults {
    /// §3.4 item 7, the part that needs the service registry: a `print` message to a receiver gets a `mottaker` and a
    /// `retur` (with `returhaandtering` `DIREKTE_RETUR`) when it has none, and every empty field of them is filled
    /// from the receiver's DPI record: `postAddress` for `mottaker`, `returnAddress` for `retur.mottaker`. The
    /// record's street is split on `;` into `adresselinje1`–`4`, only when `adresselinje1` is empty.
    /// Apply after `apply(to:…)` and before the address check of §4.2 item 7.
    public static func applyPrintAddresses(to sbd: inout StandardBusinessDocument, postAddress: RegistryPostAddress?,
                                           returnAddress: RegistryPostAddress?) {
        guard !(sbd.receiverValue?.isEmpty ?? true), case .print(var print) = sbd.businessMessage else { return }
        var mottaker = print.mottaker ?? PostAddress()
        var retur = print.retur ?? MailReturn(mottaker: PostAddress(), returhaandtering: "DIREKTE_RETUR")
        var returMottaker = retur.mottaker ?? PostAddress()
        if let postAddress { fill(&mottaker, from: postAddress) }
        if let returnAddress { fill(&returMottaker, from: returnAddress) }
        retur.mottaker = returMottaker
        print.mottaker = mottaker
        print.retur = retur
        sbd.businessMessage = .print(print)
    }

    private static func fill(_ address: inout PostAddress, from record: RegistryPostAddress) {
        func blank(_ value: String?) -> Bool { value?.trimmingCharacters(in: .whitespaces).isEmpty ?? true }
        if blank(address.navn) { address.navn = record.name }
        if address.adresselinje1?.isEmpty ?? true, let street = record.street {
            let lines = street.split(separator: ";", omittingEmptySubsequences: false).prefix(4).map(String.init)
            if lines.count > 0 { address.adresselinje1 = lines[0] }
            if lines.count > 1 { address.adresselinje2 = lines[1] }
            if lines.count > 2 { address.adresselinje3 = lines[2] }
            if lines.count > 3 { address.adresselinje4 = lines[3] }
        }
        if blank(address.postnummer) { address.postnummer = record.postalCode }
        if blank(address.poststed) { address.poststed = record.postalArea }
        if blank(address.land) { address.land = record.country }
    }
}
