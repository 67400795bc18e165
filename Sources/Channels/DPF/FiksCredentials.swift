import Foundation

/// A KS Fiks username and password (HTTP Basic): a SvarUt avsender's service password, or a SvarInn
/// mottakersystem's.
public struct FiksCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(username:password)`.
    public var authorizationHeader: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Our own credentials and those of the organisations we send or receive for (`difi.move.fiks.ut.*`,
/// `difi.move.fiks.inn.*`, with `paaVegneAv.<orgnr>.username/password`).
public struct FiksCredentialDirectory: Sendable, Equatable {
    /// Our organisation number.
    public var organisationNumber: String
    public var own: FiksCredentials?
    public var onBehalfOf: [String: FiksCredentials]

    public init(organisationNumber: String, own: FiksCredentials?, onBehalfOf: [String: FiksCredentials] = [:]) {
        self.organisationNumber = organisationNumber
        self.own = own
        self.onBehalfOf = onBehalfOf
    }

    /// The credentials for `organisation`: its own `paaVegneAv` entry, else ours (as the upstream picks them).
    public func credentials(for organisation: String) -> FiksCredentials? {
        onBehalfOf[organisation] ?? own
    }

    /// Whether `organisation` has a login of its own: ours, or a `paaVegneAv` entry. (Calls for others fall back to
    /// ours, as upstream, but a message is only accepted for an organisation named here.)
    public func hasCredentials(for organisation: String) -> Bool {
        onBehalfOf[organisation] != nil || (organisation == organisationNumber && own != nil)
    }

    /// The organisations with credentials: ours (when set) first, then the others sorted.
    public var organisations: [String] {
        (own == nil ? [] : [organisationNumber]) + onBehalfOf.keys.filter { $0 != organisationNumber }.sorted()
    }
}
