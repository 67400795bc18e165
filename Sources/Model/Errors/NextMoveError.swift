/// An API error: status, upstream exception class and the exact message text (`nextmove-api.md` §1.3–1.4).
///
/// One static factory per entry of the upstream's exception catalogue, plus the 400s we answer where the
/// upstream answers 500 (DECISIONS 3). `ErrorBody(error, path:now:)` turns one into the response body.
public struct NextMoveError: Error, Sendable, Hashable {
    public var httpStatus: Int
    /// Fully qualified Java class name, as the upstream's `exception` field shows it.
    public var exception: String
    public var message: String
    /// Extra detail (only `ReceiverDoesNotAcceptProcessException` has one upstream).
    public var description: String?
    /// Validation failures (`errors[]`).
    public var violations: [FieldViolation]?

    public init(httpStatus: Int, exception: String, message: String, description: String? = nil,
                violations: [FieldViolation]? = nil) {
        self.httpStatus = httpStatus
        self.exception = exception
        self.message = message
        self.description = description
        self.violations = violations
    }

    public var reasonPhrase: String { HTTPReason.phrase(for: httpStatus) }

    static let ip = "no.difi.meldingsutveksling.exceptions."

    private static func ip(_ name: String, _ status: Int = 400, _ message: String, description: String? = nil)
        -> NextMoveError {
        NextMoveError(httpStatus: status, exception: ip + name, message: message, description: description)
    }

    /// An IP exception without a message key: Spring renders `--<fqcn>-- [arg1, arg2]`.
    private static func unkeyed(_ name: String, _ status: Int = 400, _ args: [String]) -> NextMoveError {
        NextMoveError(httpStatus: status, exception: ip + name,
                      message: "--\(ip + name)-- [\(args.joined(separator: ", "))]")
    }
}

/// `java.text.MessageFormat` renders numeric arguments with the locale's grouping (`en`: `5,242,880`).
public enum MessageFormat {
    public static func number<I: BinaryInteger>(_ value: I) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }
}

// MARK: - The upstream catalogue (§1.4)

extension NextMoveError {
    /// 400 — create with a messageId that exists (also DECISIONS 11: same messageId, different content).
    public static func messageAlreadyExists(messageId: String) -> NextMoveError {
        ip("MessageAlreadyExistsException", 400, "Message with messageId = \(messageId) already exists")
    }

    /// 400 — `type` is not a NextMove message type.
    public static func unknownMessageType(_ type: String) -> NextMoveError {
        ip("UnknownMessageTypeException", 400,
           "Unknown NextMove document type \(type). Expected one of the following values: "
               + MessageType.unknownMessageTypeListing.map(\.rawValue).joined(separator: ", "))
    }

    /// 400 — the service registry has no matching record; `description` is the registry's error text.
    public static func receiverDoesNotAcceptProcess(_ process: String, description: String?) -> NextMoveError {
        ip("ReceiverDoesNotAcceptProcessException", 400, "Receiver do not accept the document process \(process)",
           description: description)
    }

    /// 400 — the resolved transport is switched off (`UNKNOWN` when there is no receiver).
    public static func serviceNotEnabled(_ service: ServiceIdentifier) -> NextMoveError {
        ip("ServiceNotEnabledException", 400, "Service \(service.rawValue) is not enabled")
    }

    /// 400 — `standard` does not end with `::<type>`.
    public static func messageTypeDoesNotFitDocumentType(type: String, documentType: String) -> NextMoveError {
        ip("MessageTypeDoesNotFitDocumentTypeException", 400,
           "Message type \(type) does not match the document type \(documentType)")
    }

    /// 400 — DPO message channel differs from the configured one.
    public static func messageChannelInvalid(valid: String, found: String) -> NextMoveError {
        ip("MessageChannelInvalidException", 400, "Valid channels: \(valid), but found \(found) in SBDH")
    }

    /// 400 — DPF `forsendelseType` not among SvarUt's types (`validTypes` as the upstream renders the list).
    public static func forsendelseTypeNotFound(_ found: String, validTypes: String) -> NextMoveError {
        ip("ForsendelseTypeNotFoundException", 400, "Found forsendelseType \(found), but valid types are \(validTypes)")
    }

    /// 400 — no SvarUt user for the sender.
    public static func missingSvarUtCredentials(orgnr: String) -> NextMoveError {
        ip("MissingSvarUtCredentialsException", 400, "SvarUt credentials not configured for orgnr \(orgnr)")
    }

    /// 400 — incomplete `print` address. `field`: `mottaker`, `mottaker.postnummer/poststed/adresselinje1`,
    /// `retur`, `retur.postnummer/poststed/adresselinje1`.
    /// The message is the upstream's; `description` says in words what to add.
    public static func missingAddressInformation(_ field: String) -> NextMoveError {
        var error = unkeyed("MissingAddressInformationException", 400, [field])
        let parts = "navn, adresselinje1, and postnummer and poststed (for an address abroad: land instead)"
        switch field {
        case "mottaker":
            error.description = "A print message needs print.mottaker, the receiver's postal address: \(parts)."
        case "retur":
            error.description = "A print message needs print.retur.mottaker, where undeliverable letters go back to: \(parts)."
        case let field where field.hasPrefix("retur."):
            error.description = "print.retur.mottaker is incomplete: give \(parts)."
        default:
            error.description = "print.mottaker is incomplete: give \(parts)."
        }
        return error
    }

    /// 400 — DPH sender not acceptable (`SenderException`, no message key).
    public static func senderException(_ text: String) -> NextMoveError {
        unkeyed("SenderException", 400, [text])
    }

    /// 400 — DPH receiver not acceptable (`ReceiverException`, no message key).
    public static func receiverException(_ text: String) -> NextMoveError {
        unkeyed("ReceiverException", 400, [text])
    }

    public static let senderNotInHerIds = senderException(
        "Sender have to be one of the her-ids listed in the difi.move.dph.her-ids property!")
    public static let senderNotNhn = senderException("Sender have to be a nhn-actorid for DPH messages!")
    public static let receiverNotNhn = receiverException("Receiver have to be a nhn-actorid for DPH messages!")

    /// 400 — the own business certificate is expired or invalid.
    public static func invalidCertificate(_ text: String) -> NextMoveError {
        ip("InvalidCertificateException", 400, text)
    }

    /// 400 — upload of a filename already in the message (multipart: every duplicate, comma-joined).
    public static func duplicateFilename(_ filenames: [String]) -> NextMoveError {
        ip("DuplicateFilenameException", 400, "Filename already exists in message: \(filenames.joined(separator: ", ")).")
    }

    /// 400 — the files exceed the channel's upload limit. Units as the upstream writes them: whole megabytes
    /// (`1100MB`, `(DPO, 1024MB)`), or bytes (`b`) for both when the total is below 1 MB.
    public static func maxFileSizeExceeded(totalBytes: Int64, service: ServiceIdentifier, limitBytes: Int64)
        -> NextMoveError {
        let mb: Int64 = 1_048_576
        let (total, limit) = totalBytes < mb
            ? ("\(totalBytes)b", "\(limitBytes)b")
            : ("\(totalBytes / mb)MB", "\(limitBytes / mb)MB")
        return ip("MaxFileSizeExceededException", 400,
                  "The combined file size for all attachments (\(total)) exceeds the maximum allowed upload size for the target service (\(service.rawValue), \(limit))")
    }

    /// The upstream's multipart per-file limit (5 MiB).
    public static let multipartFileSizeLimit: Int64 = 5_242_880

    /// 400 — a multipart file above the per-file limit.
    public static func multipartFileTooLarge(filename: String, limitBytes: Int64 = multipartFileSizeLimit)
        -> NextMoveError {
        ip("MultipartFileToLargeException", 400,
           "The attachment named '\(filename)' is too large. The maximum size for multipart requests is \(MessageFormat.number(limitBytes)) bytes. Please use the non-multipart API to avoid such problems.")
    }

    public static let multiplePrimaryDocumentsNotAllowed = ip(
        "MultiplePrimaryDocumentsNotAllowedException", 400, "Messages can only contain one primary document")

    /// 400 — a file needs a title for these channels (`DPV`, `DPI`, `DPH`).
    public static func missingFileTitle(_ capabilities: String) -> NextMoveError {
        ip("MissingFileTitleException", 400, "Title is required for the following capabilities: \(capabilities)")
    }

    /// 400 — DPH attachment not pdf/png/jpeg.
    public static func invalidContentType(_ contentType: String) -> NextMoveError {
        unkeyed("InvalidContentTypeException", 400, ["Invalid content type: \(contentType)"])
    }

    /// 400 — DPH dialogmelding/AppRec XML invalid.
    public static func invalidDocument(_ args: [String]) -> NextMoveError {
        unkeyed("InvalidDocumentException", 400, args)
    }

    public static let missingFile = ip("MissingFileException", 400, "There must always be at least one attachment")

    /// 400 — send after `expectedResponseDateTime`.
    public static func timeToLive(expectedResponseDateTime: OffsetDateTime) -> NextMoveError {
        ip("TimeToLiveException", 400,
           "ExpectedResponseDateTime \(expectedResponseDateTime) has been exceeded. Please resend the message")
    }

    public static let missingArkivmelding = ip(
        "MissingArkivmeldingException", 400, "DPO message type requires arkivmelding.xml attachment")

    /// 400 — `referanseDokumentfil`s not uploaded (comma-joined, no space).
    public static func missingArkivmeldingFile(_ filenames: [String]) -> NextMoveError {
        ip("MissingArkivmeldingFileException", 400,
           "File(s) defined in arkivmelding, but not found in message: \(filenames.joined(separator: ","))")
    }

    /// 404 — `digital` metadata files not uploaded; pop of an unreadable ASiC (`asic.zip`).
    public static func fileNotFound(_ filenames: [String]) -> NextMoveError {
        ip("FileNotFoundException", 404, "File(s) named \(filenames.joined(separator: ", ")) was not found")
    }

    public static let missingPrimaryDocument = ip(
        "MissingPrimaryDocumentException", 400,
        "Missing a primary document. Please specify the hoveddokument property in the business message and verify that is equal to one of the filenames.")

    /// 404 — unknown messageId.
    public static func messageNotFound(messageId: String) -> NextMoveError {
        ip("MessageNotFoundException", 404, "Message with messageId = \(messageId) was not found")
    }

    /// 400 — pop/delete of an incoming message that is not locked.
    public static func messageNotLocked(messageId: String) -> NextMoveError {
        ip("MessageNotLockedException", 400, "Message with messageId = \(messageId) was not locked")
    }

    /// 404 — `GET /api/conversations/{id}` (the id is MessageFormat-formatted: `1,234`).
    public static func conversationNotFound(id: Int64) -> NextMoveError {
        ip("ConversationNotFoundException", 404, "Conversation with id = \(MessageFormat.number(id)) was not found")
    }

    /// 404 — conversation looked up by messageId (documented variant).
    public static func conversationNotFound(messageId: String) -> NextMoveError {
        ip("ConversationNotFoundException", 404, "Conversation with messageId = \(messageId) was not found")
    }

    /// 204 — nothing to peek. Tomcat drops the body of a 204.
    public static let noContent = ip("NoContentException", 204, "No content")

    /// 500 — a stored ASiC that cannot be read on pop.
    public static func asicRead(messageId: String) -> NextMoveError {
        unkeyed("AsicReadException", 500, [messageId])
    }

    /// 404 — `/api/capabilities/{id}`: the service registry has no record.
    public static func identifierNotFound(_ text: String) -> NextMoveError {
        unkeyed("IdentifierNotFoundException", 404, [text])
    }

    /// 502 — the service registry could not be reached or answered 5xx, so the request could not be decided.
    /// The upstream answers 500 here; a 502 tells the client that retrying later is the remedy, not its input.
    public static func serviceRegistryUnavailable(_ detail: String) -> NextMoveError {
        ip("ServiceRegistryUnavailableException", 502,
           "The service registry could not be reached, so the request was not processed: \(detail). "
               + "Try again later; if it persists, run `integrasjonspunkt doctor` on the integration point.")
    }

    /// 404 — unknown subscription (id MessageFormat-formatted).
    public static func subscriptionNotFound(id: Int64) -> NextMoveError {
        ip("SubscriptionNotFoundException", 404, "Subscription with id = \(MessageFormat.number(id)) was not found")
    }

    public static let subscriptionAlreadyExists = ip(
        "SubscriptionWithSameNameAndPushEndpointAlreadyExists", 400,
        "Subscription with same name and push endpoint already exists.")

    /// 400 — the push endpoint did not answer the ping with 2xx (DECISIONS 1).
    public static func webhookPingFailed(_ reason: String) -> NextMoveError {
        ip("WebhookPushEndpointPingFailedException", 400, "Ping failed with: \(reason).")
    }

    /// 500 — storage I/O error (the upstream's quote bug leaves `{0}` literal).
    public static let messagePersist = ip("MessagePersistException", 500, "Could not persist file named '{0}'")

    /// `NotUUIDException` (defined upstream, never thrown): `{0} (value: {1}) is not a valid UUID`.
    public static func notUUID(field: String, value: String) -> NextMoveError {
        ip("NotUUIDException", 400, "\(field) (value: \(value)) is not a valid UUID")
    }

    /// `ReceiverDoesNotAcceptDocumentType` (defined upstream, never thrown).
    public static func receiverDoesNotAcceptDocumentType(_ documentType: String, process: String) -> NextMoveError {
        ip("ReceiverDoesNotAcceptDocumentType", 400,
           "Receiver do not accept the document type \(documentType) for the process \(process)")
    }
}

// MARK: - Our 400s where the upstream answers 500 (DECISIONS 3), and framework errors

extension NextMoveError {
    /// 400 — an identifier that does not parse (`Unable to parse identifier = 'x'`, `Unknown authority = X`).
    public static func invalidIdentifier(_ error: PartnerIdentifierError) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "java.lang.IllegalArgumentException", message: error.message)
    }

    /// 400 — an identifier that does not parse.
    public static func invalidIdentifier(_ value: String) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "java.lang.IllegalArgumentException",
                      message: "Unable to parse identifier = '\(value)'")
    }

    /// 400 — an enum value that does not exist (Java's `Enum.valueOf` text), e.g.
    /// `invalidEnumValue("DPX", enumClass: "no.difi.meldingsutveksling.ServiceIdentifier")`.
    public static func invalidEnumValue(_ value: String, enumClass: String) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "java.lang.IllegalArgumentException",
                      message: "No enum constant \(enumClass).\(value)")
    }

    /// 400 — a `serviceIdentifier` filter value that is not a service.
    public static func invalidServiceIdentifier(_ value: String) -> NextMoveError {
        invalidEnumValue(value, enumClass: "no.difi.meldingsutveksling.ServiceIdentifier")
    }

    /// 400 — a `status` filter value that is not a status.
    public static func invalidReceiptStatus(_ value: String) -> NextMoveError {
        invalidEnumValue(value, enumClass: "no.difi.meldingsutveksling.receipt.ReceiptStatus")
    }

    /// 400 — an SBD body that cannot be read.
    public static func unreadableBody(_ error: SBDDecodingError) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: error.exception, message: error.message)
    }

    /// 400 — a JSON body (other than an SBD) that does not parse.
    public static func malformedJSON(_ detail: String) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "org.springframework.http.converter.HttpMessageNotReadableException",
                      message: "JSON parse error: \(detail)")
    }

    /// 400 — an uploaded `arkivmelding.xml` that is unusable (upstream 500).
    public static func arkivmelding(_ error: ArkivmeldingError) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: error.exception, message: error.message)
    }

    /// 400 — an unsafe attachment filename.
    public static func invalidFilename(_ error: FilenameError) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "java.lang.IllegalArgumentException", message: error.message)
    }

    /// 400 — `@Valid @RequestBody` failures (`MethodArgumentNotValidException`); `objectName` is
    /// `standardBusinessDocument` or `subscription`.
    public static func methodArgumentNotValid(objectName: String, violations: [FieldViolation]) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "org.springframework.web.bind.MethodArgumentNotValidException",
                      message: "Validation failed for object='\(objectName)'. Error count: \(violations.count)",
                      violations: violations)
    }

    /// 400 — method-level validation failures (`ConstraintViolationException`): message `path: message, …`.
    public static func constraintViolation(_ violations: [FieldViolation]) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "jakarta.validation.ConstraintViolationException",
                      message: violations.map(\.pathAndMessage).joined(separator: ", "), violations: violations)
    }

    /// 400 — a required header is missing (`Required header 'Content-Disposition' is not present.`).
    public static func missingRequestHeader(_ name: String) -> NextMoveError {
        NextMoveError(httpStatus: 400, exception: "org.springframework.web.bind.MissingRequestHeaderException",
                      message: "Required header '\(name)' is not present.")
    }

    /// 400 — a required query/form parameter is missing.
    public static func missingRequestParameter(_ name: String, type: String = "String") -> NextMoveError {
        NextMoveError(httpStatus: 400,
                      exception: "org.springframework.web.bind.MissingServletRequestParameterException",
                      message: "Required request parameter '\(name)' for method parameter type \(type) is not present")
    }

    /// 400 — a query/path parameter of the wrong type (e.g. `securityLevel=abc`).
    public static func argumentTypeMismatch(parameter: String, value: String, requiredType: String) -> NextMoveError {
        NextMoveError(httpStatus: 400,
                      exception: "org.springframework.web.method.annotation.MethodArgumentTypeMismatchException",
                      message: "Method parameter '\(parameter)': Failed to convert value of type 'java.lang.String' to required type '\(requiredType)'; For input string: \"\(value)\"")
    }

    /// 415 — wrong `Content-Type` for a JSON endpoint.
    public static func unsupportedMediaType(_ contentType: String) -> NextMoveError {
        NextMoveError(httpStatus: 415, exception: "org.springframework.web.HttpMediaTypeNotSupportedException",
                      message: "Content-Type '\(contentType)' is not supported")
    }

    /// 500 — the service identifier is UNKNOWN where an upload limit is needed.
    public static let unknownServiceIdentifier = NextMoveError(
        httpStatus: 500, exception: "no.difi.meldingsutveksling.nextmove.NextMoveRuntimeException",
        message: "Unknown Service Identifier")

    /// 500 (upstream) — `SBDDefaults` found no ConversationId scope.
    public static let missingConversationIdScope = NextMoveError(
        httpStatus: 500, exception: "no.difi.meldingsutveksling.nextmove.NextMoveRuntimeException",
        message: "Missing conversation ID scope!")
}
