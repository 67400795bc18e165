import Foundation

/// The eFormidling `manifest.xml` at the root of every container (nextmove-api.md §8.1).
public struct EformidlingManifest: Sendable, Equatable {
    /// Receiver and sender as `iso6523-actorid-upis` identifiers, e.g. `0192:910075918`.
    public var receiver: String
    public var sender: String
    /// The primary document: its file name and MIME type.
    public var primaryDocumentFilename: String
    public var primaryDocumentMimeType: String

    public init(receiver: String, sender: String, primaryDocumentFilename: String, primaryDocumentMimeType: String) {
        self.receiver = receiver
        self.sender = sender
        self.primaryDocumentFilename = primaryDocumentFilename
        self.primaryDocumentMimeType = primaryDocumentMimeType
    }

    public static let filename = "manifest.xml"

    /// The XML the upstream writes (title always "Hoveddokument").
    public func xml() -> Data {
        let e = XMLEscaping.escape
        return Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest>
           <mottaker>
              <organisasjon authority="iso6523-actorid-upis">\(e(receiver))</organisasjon>
           </mottaker>
           <avsender>
              <organisasjon authority="iso6523-actorid-upis">\(e(sender))</organisasjon>
           </avsender>
           <hoveddokument href="\(e(primaryDocumentFilename))" mime="\(e(primaryDocumentMimeType))">
              <tittel lang="no">Hoveddokument</tittel>
           </hoveddokument>
        </manifest>

        """.utf8)
    }
}

enum XMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
