import Foundation

/// NOARK 4 codes ↔ the NOARK 5 values `arkivmelding.xsd` allows.
///
/// The transformation pages give the defaults by code ("Under behandling (`B`)", "Inngående dokument (`I`)",
/// "Ferdigstilt fra saksbehandler (`R`)"); the schema wants the words. Codes not listed here fall back to the
/// page's default on the way in; words not listed fall back to the code of the default on the way out.
enum Noark4Codes {
    struct Table {
        let toWord: [String: String]
        let toCode: [String: String]
        let defaultWord: String

        init(_ pairs: [(String, String)], extra: [String: String] = [:], default defaultWord: String) {
            var toWord = extra
            var toCode: [String: String] = [:]
            for (code, word) in pairs {
                toWord[code] = word
                if toCode[word] == nil { toCode[word] = code }
            }
            self.toWord = toWord
            self.toCode = toCode
            self.defaultWord = defaultWord
        }

        func word(_ code: String?) -> String {
            guard let code = code?.trimmingCharacters(in: .whitespaces) else { return defaultWord }
            if toCode[code] != nil { return code }  // Already a NOARK 5 word.
            return toWord[code.uppercased()] ?? defaultWord
        }

        func optionalWord(_ code: String?) -> String? {
            guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
            if toCode[code] != nil { return code }
            return toWord[code.uppercased()]
        }

        func code(_ word: String?) -> String {
            guard let word else { return toCode[defaultWord] ?? "" }
            return toCode[word] ?? toCode[defaultWord] ?? ""
        }
    }

    static let saksstatus = Table([("B", "Under behandling"), ("A", "Avsluttet"), ("U", "Utgår")],
                                  default: "Under behandling")
    static let journalposttype = Table([("I", "Inngående dokument"), ("U", "Utgående dokument"),
                                        ("N", "Organinternt dokument for oppfølging"),
                                        ("X", "Organinternt dokument uten oppfølging"), ("S", "Saksframlegg")],
                                       default: "Inngående dokument")
    /// NOARK 4 used `R` (registrert av saksbehandler) where NOARK 5 says "Ferdigstilt fra saksbehandler".
    static let journalstatus = Table([("R", "Ferdigstilt fra saksbehandler"), ("J", "Journalført"),
                                      ("G", "Godkjent av leder"), ("E", "Ekspedert"), ("A", "Arkivert"),
                                      ("U", "Utgår")],
                                     extra: ["F": "Ferdigstilt fra saksbehandler", "S": "Ekspedert"],
                                     default: "Ferdigstilt fra saksbehandler")
    static let tilknyttetRegistreringSom = Table([("H", "Hoveddokument"), ("V", "Vedlegg")], default: "Vedlegg")
    static let variantformat = Table([("P", "Produksjonsformat"), ("A", "Arkivformat"),
                                      ("O", "Dokument hvor deler av innholdet er skjermet")],
                                     default: "Produksjonsformat")
    static let dokumentstatus = Table([("F", "Dokumentet er ferdigstilt"), ("B", "Dokumentet er under redigering")],
                                      default: "Dokumentet er ferdigstilt")
    /// `amIhtype`: archive systems send 0/1/2 (NOARK 4) or the letters of NOARK 5's codes.
    static let korrespondanseparttype = Table([("0", "Avsender"), ("1", "Mottaker"), ("2", "Kopimottaker"),
                                               ("3", "Gruppemottaker"), ("4", "Intern avsender"),
                                               ("5", "Intern mottaker")],
                                              extra: ["EA": "Avsender", "A": "Avsender", "EM": "Mottaker",
                                                      "M": "Mottaker", "EK": "Kopimottaker", "K": "Kopimottaker",
                                                      "GM": "Gruppemottaker", "IA": "Intern avsender",
                                                      "IM": "Intern mottaker"],
                                              default: "Avsender")
    static let avskrivningsmaate = Table([("BU", "Besvart med brev"), ("BE", "Besvart med e-post"),
                                          ("TLF", "Besvart på telefon"), ("TE", "Tatt til etterretning"),
                                          ("TO", "Tatt til orientering")],
                                         default: "Tatt til etterretning")

    /// A NOARK 4 date (`2024-03-01`, `20240301`, `01.03.2024`, or a date-time) as `yyyy-MM-dd`; nil otherwise.
    static func isoDate(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let digits = value.filter(\.isNumber)
        func valid(_ y: Substring, _ m: Substring, _ d: Substring) -> String? {
            guard let month = Int(m), let day = Int(d), (1...12).contains(month), (1...31).contains(day),
                  y.count == 4 else { return nil }
            return "\(y)-\(m)-\(d)"
        }
        let chars = Array(value)
        if chars.count >= 10, chars[4] == "-", chars[7] == "-" {
            let s = value.prefix(10)
            return valid(s.prefix(4), s.dropFirst(5).prefix(2), s.dropFirst(8).prefix(2))
        }
        if chars.count == 10, chars[2] == ".", chars[5] == "." {
            return valid(value.suffix(4), value.dropFirst(3).prefix(2), value.prefix(2))
        }
        if value.count == 8, digits.count == 8 {
            return valid(value.prefix(4), value.dropFirst(4).prefix(2), value.suffix(2))
        }
        return nil
    }

    /// The value when it is an integer (the schema's xs:integer fields), else nil.
    static func integer(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), let number = Int(value) else { return nil }
        return String(number)
    }

    /// The value when it is a UUID (the schema's GUID fields), else nil.
    static func uuid(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), UUID(uuidString: value) != nil else { return nil }
        return value
    }
}
