import Testing
@testable import Configuration

@Test func placeholder() {}
