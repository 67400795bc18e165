import Foundation
import IPConfiguration
import Logging
import Operations

/// Sets up logging once: readable lines on standard output (JSON lines with `app.logger.stdoutAppender=JSON`), and
/// the file `logging.file.name` rotated by size; person numbers masked everywhere.
enum LogSetup {
    static func bootstrap(_ configuration: IntegrasjonspunktConfiguration) -> Logger {
        let setup = LoggingSetup(configuration, staticFields: [
            "appname": BuildInfo.name, "buildinfo.version": BuildInfo.version, "orgnr": configuration.org.number,
            "HOSTNAME": ProcessInfo.processInfo.hostName,
        ])
        LoggingSystem.bootstrap { label in setup.handler(label: label) }
        let logger = Logger(label: "integrasjonspunkt")
        if let problem = setup.fileProblem { logger.warning("\(problem)") }
        return logger
    }
}
