import Testing
@testable import IPConfiguration

@Test func placeholder() {}
