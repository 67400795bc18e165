/// Something that stops the integration point from starting, told the way an operator can act on.
struct StartupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
