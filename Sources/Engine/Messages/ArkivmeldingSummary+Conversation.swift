import Model

extension ArkivmeldingSummary {
    /// What an uploaded `arkivmelding.xml` tells the conversation: its title and its case reference.
    func apply(to conversation: inout Conversation) {
        if let title = messageTitle { conversation.messageTitle = title }
        if let reference = messageReference { conversation.messageReference = reference }
    }
}
