extension StandardBusinessDocument {
    /// Whether this create request repeats the one that produced `stored` (DECISIONS 11: same messageId and same
    /// SBD answer the original 200; same messageId with other content is `MessageAlreadyExists`).
    ///
    /// The request is compared as it would have been stored: on-behalf-of normalised, and every value the
    /// defaults generate (sender, messageId, creationDateAndTime, expectedResponseDateTime, scope ids, a
    /// MessageChannel scope, print defaults) taken from `stored` where the request left it out.
    public func isResend(of stored: StandardBusinessDocument, ownOrgNumber: String) -> Bool {
        var r = self
        SBDDefaults.normalizeOnBehalfOf(&r, ownOrgNumber: ownOrgNumber)
        var header = r.standardBusinessDocumentHeader
        let storedHeader = stored.standardBusinessDocumentHeader
        if header.sender?.isEmpty ?? true { header.sender = storedHeader.sender }
        var identification = header.documentIdentification ?? DocumentIdentification()
        if identification.instanceIdentifier?.isEmpty ?? true {
            identification.instanceIdentifier = storedHeader.documentIdentification?.instanceIdentifier
        }
        if identification.creationDateAndTime == nil {
            identification.creationDateAndTime = storedHeader.documentIdentification?.creationDateAndTime
        }
        header.documentIdentification = identification
        r.standardBusinessDocumentHeader = header

        var scopes = r.scopes
        let storedScopes = stored.scopes
        if scopes.count + 1 == storedScopes.count, storedScopes.last?.scopeType == .messageChannel {
            scopes.append(storedScopes[storedScopes.count - 1])
        }
        guard scopes.count == storedScopes.count else { return false }
        for i in scopes.indices {
            if scopes[i].instanceIdentifier?.isEmpty ?? true {
                scopes[i].instanceIdentifier = storedScopes[i].instanceIdentifier
            }
            if scopes[i].scopeType == .conversationId,
               !scopes[i].scopeInformation.contains(where: { $0.expectedResponseDateTime != nil }) {
                let storedExpiry = storedScopes[i].scopeInformation.first?.expectedResponseDateTime
                if scopes[i].scopeInformation.isEmpty { scopes[i].scopeInformation = [CorrelationInformation()] }
                scopes[i].scopeInformation[0].expectedResponseDateTime = storedExpiry
            }
            if scopes[i].scopeType == .messageChannel, scopes[i].identifier?.isEmpty ?? true {
                scopes[i].identifier = storedScopes[i].identifier
            }
        }
        r.scopes = scopes

        if case .print(var print) = r.businessMessage, case .print(let storedPrint) = stored.businessMessage {
            if print.utskriftsfarge == nil { print.utskriftsfarge = storedPrint.utskriftsfarge }
            if print.posttype == nil { print.posttype = storedPrint.posttype }
            r.businessMessage = .print(print)
        }
        return r == stored
    }
}
