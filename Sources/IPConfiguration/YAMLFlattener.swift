import Yams

/// Turns a YAML document into the dotted keys Spring Boot derives from it.
///
/// Nested maps become dotted keys (`difi: {move: {org: {number: 1}}}` → `difi.move.org.number`), every list item
/// becomes `key[i]`, and the list also gives `key` as its comma-joined items (when the items are scalars). Every
/// scalar is kept as the text written; `~`/`null` become the empty string, as in Spring.
public enum YAMLFlattener {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// The 1-based line of the value, when Yams reports one.
        public var line: Int?
    }

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func flatten(_ text: String) throws(SyntaxError) -> [Entry] {
        // Several documents (`---`) are read in order, later ones winning, as Spring does without profile sections.
        var entries: [Entry] = []
        do {
            var documents = try Yams.compose_all(yaml: text)
            while let document = documents.next() {
                visit(document, path: "", into: &entries)
            }
            if let error = documents.error { throw error }
        } catch {
            throw SyntaxError(description: "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)")
        }
        return entries
    }

    private static func visit(_ node: Node, path: String, into entries: inout [Entry]) {
        switch node {
        case .scalar(let scalar):
            if !path.isEmpty { entries.append(Entry(key: path, value: text(of: scalar), line: scalar.mark?.line)) }
        case .mapping(let mapping):
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                visit(valueNode, path: path.isEmpty ? key : "\(path).\(key)", into: &entries)
            }
        case .sequence(let sequence):
            var scalars: [String] = []
            var allScalars = true
            for (index, item) in sequence.enumerated() {
                visit(item, path: "\(path)[\(index)]", into: &entries)
                if case .scalar(let scalar) = item { scalars.append(text(of: scalar)) } else { allScalars = false }
            }
            if allScalars && !path.isEmpty {
                entries.append(Entry(key: path, value: scalars.joined(separator: ","), line: sequence.mark?.line))
            }
        case .alias:
            break
        }
    }

    private static func text(of scalar: Node.Scalar) -> String {
        if scalar.style == .plain, ["~", "null", "Null", "NULL"].contains(scalar.string) { return "" }
        return scalar.string
    }
}
