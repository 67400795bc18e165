import Foundation
import TestTools

typealias SandboxTool = ExternalTool
typealias SandboxScratch = TemporaryDirectory

extension TemporaryDirectory {
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(to: file(name), atomically: true, encoding: .utf8)
        return file(name).path
    }
}

