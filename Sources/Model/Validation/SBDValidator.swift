import Foundation

/// Bean validation of a request SBD at create (`nextmove-api.md` §4.1). The business message itself is not
/// validated (upstream does not cascade into it).
public enum SBDValidator {
    static let sbdh = "no.difi.meldingsutveksling.domain.sbdh."

    /// Every violated constraint, in document order. `now` decides `@Future`.
    public static func validate(_ sbd: StandardBusinessDocument, now: Date) -> [ConstraintViolation] {
        var out: [ConstraintViolation] = []
        let header = sbd.standardBusinessDocumentHeader
        let h = "standardBusinessDocumentHeader"

        func notNull(_ present: Bool, _ path: String, _ type: String) {
            if !present {
                out.append(ConstraintViolation(code: "NotNull", message: ValidationMessage.notNull, path: path,
                                               rejectedValue: nil, fieldType: type))
            }
        }

        notNull(header.headerVersion != nil, "\(h).headerVersion", "java.lang.String")

        for (role, partners) in [("sender", header.sender), ("receiver", header.receiver)] {
            guard let partners else { continue }
            if partners.count > 1 {
                out.append(ConstraintViolation(code: "Size", message: ValidationMessage.size(min: 0, max: 1),
                                               path: "\(h).\(role)", rejectedValue: jsonValue(partners),
                                               fieldType: "java.util.List"))
            }
            for (i, partner) in partners.enumerated() {
                let p = "\(h).\(role)[\(i)].identifier"
                guard let id = partner.identifier else {
                    notNull(false, p, sbdh + "PartnerIdentification")
                    continue
                }
                notNull(id.value != nil, "\(p).value", "java.lang.String")
                notNull(id.authority != nil, "\(p).authority", "java.lang.String")
                if role == "sender", let value = id.value, StandardBusinessDocument.parsePartner(partner) == nil {
                    out.append(ConstraintViolation(code: "SenderValue", message: ValidationMessage.senderValue,
                                                   path: "\(p).value", rejectedValue: .string(value),
                                                   fieldType: "java.lang.String"))
                }
            }
        }

        let d = "\(h).documentIdentification"
        if let identification = header.documentIdentification {
            notNull(identification.standard != nil, "\(d).standard", "java.lang.String")
            notNull(identification.typeVersion != nil, "\(d).typeVersion", "java.lang.String")
            if let id = identification.instanceIdentifier, !ValidationMessage.isUUID(id) {
                out.append(ConstraintViolation(code: "UUID", message: ValidationMessage.notUUID(id),
                                               path: "\(d).instanceIdentifier", rejectedValue: .string(id),
                                               fieldType: "java.lang.String"))
            }
            if let type = identification.type {
                if MessageType(name: type) == nil {
                    out.append(ConstraintViolation(code: "MessageType", message: ValidationMessage.messageType,
                                                   path: "\(d).type", rejectedValue: .string(type),
                                                   fieldType: "java.lang.String"))
                }
            } else {
                notNull(false, "\(d).type", "java.lang.String")
            }
        } else {
            notNull(false, d, sbdh + "DocumentIdentification")
        }

        let b = "\(h).businessScope"
        if let scope = header.businessScope {
            if let scopes = scope.scope {
                if scopes.isEmpty {
                    out.append(ConstraintViolation(code: "Size", message: ValidationMessage.size(min: 1, max: 2_147_483_647),
                                                   path: "\(b).scope", rejectedValue: .array([]),
                                                   fieldType: "java.util.List"))
                }
                for (i, s) in scopes.enumerated() {
                    out += validate(scope: s, path: "\(b).scope[\(i)]", now: now)
                }
            } else {
                notNull(false, "\(b).scope", "java.util.List")
            }
        } else {
            notNull(false, b, sbdh + "BusinessScope")
        }
        return out
    }

    static func validate(scope: Scope, path: String, now: Date) -> [ConstraintViolation] {
        var out: [ConstraintViolation] = []
        if let type = scope.type {
            let allowed = ScopeType.allCases.map(\.rawValue)
            if !allowed.contains(type) {
                out.append(ConstraintViolation(code: "OneOf", message: ValidationMessage.oneOf(type, allowed: allowed),
                                               path: "\(path).type", rejectedValue: .string(type),
                                               fieldType: "java.lang.String"))
            }
        } else {
            out.append(ConstraintViolation(code: "NotNull", message: ValidationMessage.notNull, path: "\(path).type",
                                           rejectedValue: nil, fieldType: "java.lang.String"))
        }
        if scope.type == ScopeType.conversationId.rawValue, let id = scope.instanceIdentifier,
           !ValidationMessage.isUUID(id) {
            out.append(ConstraintViolation(code: "UUID", message: ValidationMessage.notUUID(id),
                                           path: "\(path).instanceIdentifier", rejectedValue: .string(id),
                                           fieldType: "java.lang.String"))
        }
        for (i, info) in scope.scopeInformation.enumerated() {
            if let expected = info.expectedResponseDateTime, !(expected.date > now) {
                out.append(ConstraintViolation(code: "Future", message: ValidationMessage.future,
                                               path: "\(path).scopeInformation[\(i)].expectedResponseDateTime",
                                               rejectedValue: .string(expected.description),
                                               fieldType: "java.time.OffsetDateTime"))
            }
        }
        return out
    }

    static func jsonValue<T: Encodable>(_ value: T) -> JSONValue? {
        guard let data = try? JacksonJSON.encode(value, pretty: false) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }
}
