/// The NOARK 4 codes ↔ NOARK 5 words of journal posts, for the channels that speak NOARK 4 codes on the wire
/// (KS SvarUt's `metadataFraAvleverendeSystem` carries `journalposttype` `I`/`U`/… and `journalstatus` `R`/`J`/…,
/// where `arkivmelding.xml` carries the words).
public enum NoarkCodes {
    /// The NOARK 4 code of a journal post type word (`Utgående dokument` → `U`); a value that already is a code is
    /// kept; nil when absent or unknown.
    public static func journalposttypeCode(_ word: String?) -> String? {
        code(word, in: Noark4Codes.journalposttype)
    }

    /// The NOARK 4 code of a journal status word (`Journalført` → `J`); a code is kept; nil when absent or unknown.
    public static func journalstatusCode(_ word: String?) -> String? {
        code(word, in: Noark4Codes.journalstatus)
    }

    /// The NOARK 5 word of a journal post type code (`U` → `Utgående dokument`); `Inngående dokument` when absent
    /// or unknown, the default of the transformation pages.
    public static func journalposttypeWord(_ code: String?) -> String { Noark4Codes.journalposttype.word(code) }

    /// The NOARK 5 word of a journal status code (`R` → `Ferdigstilt fra saksbehandler`, the default).
    public static func journalstatusWord(_ code: String?) -> String { Noark4Codes.journalstatus.word(code) }

    private static func code(_ value: String?, in table: Noark4Codes.Table) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let code = table.toCode[value] { return code }
        if table.toWord[value.uppercased()] != nil { return value.uppercased() }
        return nil
    }
}
