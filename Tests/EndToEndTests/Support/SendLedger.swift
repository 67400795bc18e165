/// What the clients of a crash or fail-over test saw: sends accepted, sends whose answer was lost when an
/// instance died (they may or may not have been accepted), and what the receiving archive system took.
actor SendLedger {
    var accepted: [String] = []
    var uncertain: [String] = []
    var taken: [String] = []
    func accept(_ id: String) { accepted.append(id) }
    func maybe(_ id: String) { uncertain.append(id) }
    func take(_ id: String) { taken.append(id) }
    var handledCount: Int { accepted.count + uncertain.count }
}
