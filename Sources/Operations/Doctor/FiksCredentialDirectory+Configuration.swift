import Channels
import IPConfiguration

extension FiksCredentialDirectory {
    /// The logins of `difi.move.fiks.ut.*` or `difi.move.fiks.inn.*`: `username/password` for `organisation`, and
    /// each `paaVegneAv.<orgnr>.username/password`.
    public init(configured own: IntegrasjonspunktConfiguration.Fiks.Credentials?,
                onBehalfOf others: [String: IntegrasjonspunktConfiguration.Fiks.Credentials], organisation: String) {
        self.init(organisationNumber: organisation,
                  own: own.map { FiksCredentials(username: $0.username, password: $0.password) },
                  onBehalfOf: others.mapValues { FiksCredentials(username: $0.username, password: $0.password) })
    }
}
