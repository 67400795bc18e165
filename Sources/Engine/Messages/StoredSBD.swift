import Foundation
import Model

/// How SBDs are kept in the store: as the JSON the API shows.
enum StoredSBD {
    static func encode(_ sbd: StandardBusinessDocument) throws -> String {
        String(decoding: sbd.encodedJSON(), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> StandardBusinessDocument {
        try StandardBusinessDocument.decode(from: Data(json.utf8))
    }
}
