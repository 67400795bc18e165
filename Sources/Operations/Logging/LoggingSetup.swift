import Foundation
import IPConfiguration
import Logging

/// The outputs of the integration point's log, from the configuration: standard output (readable, or JSON with
/// `app.logger.stdoutAppender=JSON`) and the file `logging.file.name` (readable, rotated by size; none when empty).
public struct LoggingSetup: Sendable {
    public var outputs: [OperationsLogHandler.Output]
    public var level: Logger.Level
    /// The log file, when there is one.
    public var file: RotatingFileWriter?
    /// A problem opening the log file; logging goes on to standard output only.
    public var fileProblem: String?

    public static let defaultMaxFileBytes: Int64 = 10 * 1024 * 1024

    public init(_ configuration: IntegrasjonspunktConfiguration, staticFields: [String: String],
                stdout: any LogLineSink = StandardOutputSink(), maxFileBytes: Int64 = defaultMaxFileBytes,
                keepFiles: Int = 7) {
        let format: LogLineFormat = configuration.logging.stdoutAppender == .json ? .json(staticFields: staticFields) : .text
        outputs = [.init(sink: stdout, format: format)]
        level = Self.level(configuration.logging.levels)
        if let name = configuration.logging.fileName, !name.isEmpty {
            do {
                let writer = try RotatingFileWriter(path: name, maxBytes: maxFileBytes, keep: keepFiles)
                file = writer
                outputs.append(.init(sink: writer, format: .text))
            } catch {
                fileProblem = "Cannot write the log file \(name): \(error). Logging to standard output only; check logging.file.name and the folder's permissions."
            }
        }
    }

    public func handler(label: String) -> OperationsLogHandler {
        OperationsLogHandler(label: label, level: level, outputs: outputs)
    }

    /// `logging.level.root`, else `logging.level.no.difi`, else INFO. Logback names (WARN) and swift-log names both work.
    static func level(_ levels: [String: String]) -> Logger.Level {
        let name = (levels["root"] ?? levels["no.difi"] ?? "INFO").lowercased()
        switch name {
        case "trace", "all": return .trace
        case "debug": return .debug
        case "warn", "warning": return .warning
        case "error", "off": return .error
        case "critical": return .critical
        default: return .info
        }
    }
}
