import Foundation
import IPConfiguration
import Logging

/// Sets up logging once, from `app.logger.stdoutAppender`.
enum LogSetup {
    static func bootstrap(_ configuration: IntegrasjonspunktConfiguration) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        return Logger(label: "integrasjonspunkt")
    }
}
