import Foundation
import IPConfiguration
import Logging
import Operations
import Synchronization
import Testing

/// Collects rendered lines in memory.
final class LineCollector: LogLineSink {
    private let storage = Mutex<[String]>([])
    func write(line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ops-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Logs: masking, JSON lines, the rotated file")
struct LoggingTests {
    @Test("Eleven-digit person numbers are masked; organisation numbers, UUIDs and longer numbers are not")
    func masking() {
        #expect(PersonNumberMasking.mask("receiver 01017012345 ok") == "receiver *********** ok")
        #expect(PersonNumberMasking.mask("0192:01017012345") == "0192:***********")
        #expect(PersonNumberMasking.mask("org 910077473") == "org 910077473")
        #expect(PersonNumberMasking.mask("123456789012") == "123456789012")
        #expect(PersonNumberMasking.mask("id a1017012345b") == "id a1017012345b")
        #expect(PersonNumberMasking.mask("01017012345,02027012345") == "***********,***********")
        #expect(PersonNumberMasking.mask("") == "")
    }

    @Test("Message and every metadata value are masked, in readable and in JSON lines")
    func handlerMasks() throws {
        let collector = LineCollector()
        let handler = OperationsLogHandler(label: "test", level: .info, outputs: [
            .init(sink: collector, format: .text),
            .init(sink: collector, format: .json(staticFields: ["appname": "integrasjonspunkt", "orgnr": "910077473"])),
        ])
        let logger = Logger(label: "test", factory: { _ in handler })
        logger.info("Message to 01017012345 stored", metadata: [
            "receiver": "0192:01017012345", "nested": .dictionary(["fnr": "31129912345"]), "messageId": "abc",
        ])
        logger.debug("not at this level")
        #expect(collector.lines.count == 2)
        for line in collector.lines {
            #expect(!line.contains("01017012345") && !line.contains("31129912345"), "\(line)")
            #expect(line.contains("***********"))
        }
        #expect(collector.lines[0].contains("INFO  [test] Message to *********** stored"))
        #expect(collector.lines[0].contains("messageId=abc"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(collector.lines[1].utf8)) as? [String: Any])
        #expect(json["message"] as? String == "Message to *********** stored")
        #expect(json["level"] as? String == "INFO")
        #expect(json["logger_name"] as? String == "test")
        #expect(json["appname"] as? String == "integrasjonspunkt")
        #expect(json["orgnr"] as? String == "910077473")
        #expect(json["messageId"] as? String == "abc")
        #expect(json["receiver"] as? String == "0192:***********")
        let timestamp = try #require(json["@timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z") && timestamp.contains("T"), "ISO 8601 UTC: \(timestamp)")
        #expect(!collector.lines[1].contains("\n"), "one line per event")
    }

    @Test("JSON strings are escaped; a line with quotes, newlines and control characters stays one valid object")
    func jsonEscaping() throws {
        let collector = LineCollector()
        let logger = Logger(label: "t", factory: { _ in
            OperationsLogHandler(label: "t", level: .info, outputs: [.init(sink: collector, format: .json(staticFields: [:]))])
        })
        logger.warning("a \"quoted\"\nsecond line\tand \u{01} \\ end", metadata: ["k": "ø æ å"])
        let line = try #require(collector.lines.first)
        #expect(!line.contains("\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["message"] as? String == "a \"quoted\"\nsecond line\tand \u{01} \\ end")
        #expect(json["level"] as? String == "WARN")
        #expect(json["k"] as? String == "ø æ å")
    }

    @Test("The log file rotates by size and keeps a bounded number of files")
    func rotation() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("logs/application.log").path
        let writer = try RotatingFileWriter(path: path, maxBytes: 2048, keep: 3)
        let line = String(repeating: "x", count: 99) // 100 bytes with the newline
        for _ in 0..<200 { writer.write(line: line) }
        let files = FileManager.default
        #expect(files.fileExists(atPath: path))
        #expect(writer.rotatedFiles().map(\.lastPathComponent) == ["application.log.1", "application.log.2", "application.log.3"])
        #expect(!files.fileExists(atPath: path + ".4"))
        for url in [URL(fileURLWithPath: path)] + writer.rotatedFiles() {
            let size = try #require(try files.attributesOfItem(atPath: url.path)[.size] as? NSNumber).intValue
            #expect(size <= 2048, "\(url.lastPathComponent) is \(size) bytes")
            #expect(size % 100 == 0, "only whole lines")
        }
    }

    @Test("From the configuration: JSON on stdout with stdoutAppender=JSON, a readable file at logging.file.name, none when empty")
    func fromConfiguration() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let logFile = folder.appendingPathComponent("integrasjonspunkt-logs/application.log").path
        let configuration = try ConfigurationLoader.load(properties: Self.minimal.merging([
            "app.logger.stdoutAppender": "JSON", "logging.file.name": logFile,
        ]) { $1 }, profile: .dev, workingDirectory: folder).configuration
        let stdout = LineCollector()
        let setup = LoggingSetup(configuration, staticFields: ["appname": "integrasjonspunkt"], stdout: stdout)
        #expect(setup.fileProblem == nil)
        let logger = Logger(label: "integrasjonspunkt", factory: { setup.handler(label: $0) })
        logger.info("Hello 01017012345", metadata: ["password-like": "never here"])
        let line = try #require(stdout.lines.first)
        #expect(line.hasPrefix("{\"@timestamp\":"))
        let file = try String(contentsOfFile: logFile, encoding: .utf8)
        #expect(file.contains("INFO  [integrasjonspunkt] Hello ***********"))

        let noFile = try ConfigurationLoader.load(properties: Self.minimal.merging(["logging.file.name": ""]) { $1 },
                                                  profile: .dev, workingDirectory: folder).configuration
        let none = LoggingSetup(noFile, staticFields: [:], stdout: LineCollector())
        #expect(none.file == nil && none.outputs.count == 1)
        if case .text = none.outputs[0].format {} else { Issue.record("readable by default") }
    }

    static let minimal = [
        "difi.move.org.number": "910077473",
        "difi.move.org.keystore.path": "/nonexistent/keystore.p12",
        "difi.move.org.keystore.alias": "alias",
        "difi.move.org.keystore.password": "secret",
        "difi.security.user.name": "archive",
        "difi.security.user.password": "s3cret-pw",
        "difi.ssl.enabled": "false",
    ]
}
