import Model

/// Refusals the engine adds to the upstream catalogue, in the same error body.
extension NextMoveError {
    /// A file arrives for a message whose send was already accepted.
    static func messageAlreadySent(messageId: String) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "no.difi.meldingsutveksling.exceptions.MessageAlreadySentException",
                      message: "Message with messageId = \(messageId) has already been sent; files can no longer be added. Create a new message to send more files.")
    }

    /// The SBD has no ConversationId scope; upstream answers 500, we answer 400 (DECISIONS 3).
    static let missingConversationScope = NextMoveError(
        httpStatus: 400, exception: "no.difi.meldingsutveksling.nextmove.NextMoveRuntimeException",
        message: "Missing conversation ID scope! Add a scope of type ConversationId with the process in 'identifier'.")

    /// A `status` SBD whose status is not one of the known values.
    static func invalidStatusReceipt(messageId: String, status: String?) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "java.lang.IllegalArgumentException",
                      message: "Status message \(messageId) carries the unknown status '\(status ?? "null")'")
    }
}
