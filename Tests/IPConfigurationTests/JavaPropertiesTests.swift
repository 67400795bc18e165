import Testing
@testable import IPConfiguration

@Suite struct JavaPropertiesTests {
    private func parse(_ text: String) -> [String: String] {
        let result = JavaProperties.parse(text)
        #expect(result.problems.isEmpty)
        return Dictionary(result.entries.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test func separatorsEqualsColonAndWhitespace() {
        let map = parse("""
            a=1
            b:2
            c 3
            d = 4
            e\t:\t5
            f
            g=
            """)
        #expect(map == ["a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "", "g": ""])
    }

    @Test func commentsAndBlankLinesAreSkipped() {
        let map = parse("""
            # comment = no
              ! also a comment
            \t
            key=value # not a comment
            """)
        #expect(map == ["key": "value # not a comment"])
    }

    @Test func continuationLinesJoinWithLeadingWhitespaceDropped() {
        let map = parse("""
            list=DPO,\\
                 DPV,\\
                 DPE
            even=ends in backslash\\\\
            next=x
            """)
        #expect(map["list"] == "DPO,DPV,DPE")
        #expect(map["even"] == "ends in backslash\\")
        #expect(map["next"] == "x")
    }

    @Test func commentLineEndingInBackslashDoesNotContinue() {
        let map = parse("# comment \\\nkey=value")
        #expect(map == ["key": "value"])
    }

    @Test func escapesInKeysAndValues() {
        let map = parse(#"""
            my\=key=a\=b
            my\:key:c\:d
            my\ key=e\ f
            unicode=Bl\u00e5b\u00E6r
            tabs=a\tb
            path=C:\\ip\\keystore.jks
            other=\q
            """#)
        #expect(map["my=key"] == "a=b")
        #expect(map["my:key"] == "c:d")
        #expect(map["my key"] == "e f")
        #expect(map["unicode"] == "Blåbær")
        #expect(map["tabs"] == "a\tb")
        #expect(map["path"] == #"C:\ip\keystore.jks"#)
        #expect(map["other"] == "q")
    }

    @Test func leadingWhitespaceTrimmedAndUnescapedTrailingWhitespaceDropped() {
        let map = parse("   key = value   \nkept=space\\ \n")
        #expect(map["key"] == "value")
        #expect(map["kept"] == "space ")
    }

    @Test func surrogatePairEscapes() {
        #expect(parse("smile=\\uD83D\\uDE00")["smile"] == "😀")
        #expect(JavaProperties.parse("bad=\\uD83D").problems.count == 1)
    }

    @Test func windowsLineEnds() {
        let map = parse("a=1\r\nb=2\rc=3\r\n")
        #expect(map == ["a": "1", "b": "2", "c": "3"])
    }

    @Test func malformedUnicodeEscapeIsReportedWithItsLine() {
        let result = JavaProperties.parse("ok=1\nbad=\\u12G4\nafter=2")
        #expect(result.problems.map(\.line) == [2])
        #expect(result.entries.map(\.key) == ["ok", "after"])
    }
}
