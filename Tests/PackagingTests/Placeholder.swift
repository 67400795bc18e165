import Testing
@testable import Packaging

@Test func placeholder() {}
