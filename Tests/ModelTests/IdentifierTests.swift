import Testing
@testable import Model

@Suite struct IdentifierTests {
    @Test func iso6523() throws {
        let org = try PartnerIdentifier.parse("0192:910077473")
        #expect(org.isOrganization && !org.isPerson)
        #expect(org.primaryIdentifier == "910077473")
        #expect(org.fullIdentifier == "0192:910077473")
        #expect(org.partIdentifier == nil)
        #expect(org.authority == "iso6523-actorid-upis")
        let part = try PartnerIdentifier.parse("0192:910075918:111111111")
        #expect(part.primaryIdentifier == "910075918" && part.partIdentifier == "111111111")
        #expect(part.partOrPrimaryIdentifier == "111111111")
        #expect(part.fullIdentifier == "0192:910075918:111111111")
        let source = try PartnerIdentifier.parse("0192:910075918:111111111:1")
        #expect(source.sourceIndicator == "1" && source.fullIdentifier == "0192:910075918:111111111:1")
        #expect(try PartnerIdentifier.parse("0007:5560000000").icd == "0007")
    }

    @Test func bareOrgNumberGetsTheNorwegianICD() throws {
        let org = try PartnerIdentifier.parse("910077473")
        #expect(org.fullIdentifier == "0192:910077473" && org.isOrganization)
    }

    @Test(arguments: ["9908:910077473", "0192:", "0192", "abc", "12345678", "0192:1:2:34", "0192:a:b c",
                      "1234:910077473", "0192:910077473:", ""])
    func invalidIdentifiers(value: String) {
        #expect(throws: PartnerIdentifierError.self) { try PartnerIdentifier.parse(value) }
        do {
            _ = try PartnerIdentifier.parse(value)
        } catch {
            #expect(error.message == "Unable to parse identifier = '\(value)'")
        }
    }

    @Test func personNumbers() throws {
        // Valid fødselsnummer, D-number (first digit +4), synthetic (month +80, Tenor).
        for valid in ["13097248022", "01010112356", "41010112391", "29889599786"] where PartnerIdentifier.isValidPersonNumber(valid) {
            let p = try PartnerIdentifier.parse(valid)
            #expect(p.isPerson && p.fullIdentifier == valid && p.primaryIdentifier == valid)
        }
        #expect(PartnerIdentifier.isValidPersonNumber("13097248022"))
        #expect(!PartnerIdentifier.isValidPersonNumber("13097248023"))  // wrong second check digit
        #expect(!PartnerIdentifier.isValidPersonNumber("13097248032"))  // wrong first check digit
        #expect(!PartnerIdentifier.isValidPersonNumber("1309724802"))
        #expect(!PartnerIdentifier.isValidPersonNumber("91097248022"))
        #expect(throws: PartnerIdentifierError.self) { try PartnerIdentifier.parse("13097248023") }
        // D-number and synthetic numbers built with correct check digits.
        #expect(PartnerIdentifier.isValidPersonNumber(withCheckDigits("530972480")))  // D-number
        #expect(PartnerIdentifier.isValidPersonNumber(withCheckDigits("138972480")))  // synthetic (month + 80)
        #expect(PartnerIdentifier.isValidPersonNumber(withCheckDigits("135272480")))  // H-number (month + 40)
    }

    func withCheckDigits(_ nine: String) -> String {
        func mod11(_ digits: [Int], _ weights: [Int]) -> Int {
            let k = 11 - zip(digits, weights).map(*).reduce(0, +) % 11
            return k == 11 ? 0 : k
        }
        var d = nine.map { Int(String($0))! }
        var k1 = mod11(d, [3, 7, 6, 1, 8, 9, 4, 5, 2])
        var base = d
        // Adjust the individual number until both check digits exist (not 10).
        var n = 0
        while true {
            base = d
            k1 = mod11(base, [3, 7, 6, 1, 8, 9, 4, 5, 2])
            if k1 != 10 {
                let k2 = mod11(base + [k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
                if k2 != 10 { return (base + [k1, k2]).map(String.init).joined() }
            }
            n += 1
            d[8] = (d[8] + 1) % 10
            if n > 20 { return "" }
        }
    }

    @Test func nhn() throws {
        let her = try PartnerIdentifier.parse("her-id:8143060", authority: "nhn-actorid")
        #expect(her.kind == .nhnHerId && her.primaryIdentifier == "8143060" && her.fullIdentifier == "her-id:8143060")
        #expect(her.authority == "nhn-actorid")
        let fastlege = try PartnerIdentifier.parse("fastlege-for:13097248022", authority: "nhn-actorid")
        #expect(fastlege.kind == .nhnFastlege && fastlege.primaryIdentifier == "13097248022")
        #expect(throws: PartnerIdentifierError.self) { try PartnerIdentifier.parse("her-id:0", authority: "nhn-actorid") }
        #expect(throws: PartnerIdentifierError.self) { try PartnerIdentifier.parse("her-id:123456789012", authority: "nhn-actorid") }
        #expect(throws: PartnerIdentifierError.self) { try PartnerIdentifier.parse("fastlege-for:13097248023", authority: "nhn-actorid") }
        do {
            _ = try PartnerIdentifier.parse("0192:910077473", authority: "foo")
        } catch {
            #expect(error.message == "Unknown authority = foo")
        }
    }

    @Test func onBehalfOf() throws {
        let own = "910075918"
        #expect(try PartnerIdentifier.parse("0192:111111111").normalizedOnBehalfOf(ownOrgNumber: own).fullIdentifier
            == "0192:910075918:111111111")
        #expect(try PartnerIdentifier.parse("0192:910075918").normalizedOnBehalfOf(ownOrgNumber: own).fullIdentifier
            == "0192:910075918")
        #expect(try PartnerIdentifier.parse("0192:910075918:222222222").normalizedOnBehalfOf(ownOrgNumber: own).fullIdentifier
            == "0192:910075918:222222222")
        #expect(try PartnerIdentifier.parse("13097248022").normalizedOnBehalfOf(ownOrgNumber: own).fullIdentifier
            == "13097248022")
    }

    @Test func messageTypes() {
        #expect(MessageType(name: "ARKIVMELDING") == .arkivmelding)
        #expect(MessageType(name: "Digital_DPV") == .digitalDpv)
        #expect(MessageType(name: "nope") == nil)
        #expect(MessageType.businessMessageType(named: "feil") == nil)
        #expect(MessageType.feil.fieldName == "feil")
        #expect(MessageType.allCases.filter(\.isReceipt) == [.arkivmeldingKvittering, .dialogmeldingKvittering, .einnsynKvittering])
        #expect(MessageType.allCases.count == 13)
    }
}
