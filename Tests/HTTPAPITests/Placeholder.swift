import Testing
@testable import HTTPAPI

@Test func placeholder() {}
