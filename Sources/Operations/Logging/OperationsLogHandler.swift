import Foundation
import Logging

/// Where rendered lines go.
public protocol LogLineSink: Sendable {
    func write(line: String)
}

extension RotatingFileWriter: LogLineSink {}

/// Standard output, one write per line so lines from concurrent tasks do not interleave.
public struct StandardOutputSink: LogLineSink {
    public init() {}
    public func write(line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// A log handler for the integration point: masks person numbers in the message and every metadata value, then
/// writes the event to each output in that output's format (readable or JSON).
public struct OperationsLogHandler: LogHandler {
    public struct Output: Sendable {
        public var sink: any LogLineSink
        public var format: LogLineFormat
        public init(sink: any LogLineSink, format: LogLineFormat) {
            self.sink = sink
            self.format = format
        }
    }

    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let outputs: [Output]

    public init(label: String, level: Logger.Level, outputs: [Output], metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.outputs = outputs
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var flat: [String: String] = [:]
        for (key, value) in merged { flat[key] = PersonNumberMasking.mask(Self.describe(value)) }
        if let error = event.error { flat["error"] = PersonNumberMasking.mask(String(describing: error)) }
        let record = LogRecord(timestamp: Date(), level: event.level, label: label,
                               message: PersonNumberMasking.mask(event.message.description),
                               metadata: flat, source: event.source)
        for output in outputs {
            output.sink.write(line: output.format.render(record))
        }
    }

    static func describe(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(describe).joined(separator: ", ") + "]"
        case .dictionary(let values):
            "{" + values.keys.sorted().map { "\($0)=\(describe(values[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
