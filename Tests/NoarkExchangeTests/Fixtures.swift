import Foundation
import TestTools

/// The SOAP requests and documents under `Fixtures/`, written after the WSDL and XSDs of the BEST/EDU contract.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static var xmllintPath: String? { try? ExternalTool.path("xmllint") }

    /// Validates `xml` against `Fixtures/arkivmelding.xsd` with libxml2's xmllint; returns its complaint, or nil.
    static func arkivmeldingSchemaErrors(_ xml: String) throws -> String? {
        try schemaErrors(xml, schema: "arkivmelding.xsd")
    }

    /// Validates a `Melding` against `noark4-1-ws-wd-types.xsd` (through `Fixtures/melding.xsd`).
    static func meldingSchemaErrors(_ xml: String) throws -> String? {
        try schemaErrors(xml, schema: "melding.xsd")
    }

    static func schemaErrors(_ xml: String, schema: String) throws -> String? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("arkivmelding.xml")
        try Data(xml.utf8).write(to: file)
        do {
            try ExternalTool.run("xmllint", ["--noout", "--schema", folder.appendingPathComponent(schema).path,
                                             file.path])
            return nil
        } catch let failure as ExternalTool.Failure {
            return failure.description
        }
    }
}
