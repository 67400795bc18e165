import Testing
@testable import Sandbox

@Suite("The sandbox broker's checks of an initialize")
struct SandboxBrokerValidationTests {
    @Test(arguments: [("0192:910077473", true), ("0192:91007747", false), ("0192:9100774730", false),
                      ("0192-910077473", false), ("019:2910077473", false), ("0192:91007747a", false),
                      ("", false), (" 0192:910077473", false)])
    func sender(text: String, isParty: Bool) {
        #expect(SandboxAltinnBroker.isParty(text) == isParty)
    }
}
