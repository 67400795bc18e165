import Testing
@testable import Model

@Suite struct FilesTests {
    @Test(arguments: [
        ("a.pdf", "application/pdf"), ("a.PDF", "application/pdf"), ("a.txt", "text/plain"), ("a.xml", "text/xml"),
        ("a.html", "text/html"), ("a.jpeg", "image/jpeg"), ("a.jpg", "application/pdf"), ("a.png", "image/png"),
        ("a.gif", "image/gif"), ("a.zip", "application/octet-stream"), ("a.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("a.odt",
        "application/vnd.oasis.opendocument.text"), ("a.fods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("noextension", "application/pdf"), ("a.unknown", "application/pdf"),
    ])
    func mimeFromExtension(filename: String, expected: String) {
        #expect(MimeType.forUpload(contentType: nil, filename: filename) == expected)
        #expect(MimeType.forUpload(contentType: "application/octet-stream", filename: filename) == expected)
    }

    @Test func givenContentTypeWins() {
        #expect(MimeType.forUpload(contentType: "text/csv", filename: "a.pdf") == "text/csv")
        #expect(MimeType.forUpload(contentType: "", filename: "a.txt") == "text/plain")
    }

    @Test func contentDispositionVariants() {
        let quoted = ContentDisposition(parsing: "attachment; name=\"Before The Law\"; filename=\"before_the_law.txt\"")
        #expect(quoted?.type == "attachment")
        #expect(quoted?.name == "Before The Law")
        #expect(quoted?.filename == "before_the_law.txt")
        let bare = ContentDisposition(parsing: "attachment; name=Title; filename=a.pdf")
        #expect(bare?.name == "Title" && bare?.filename == "a.pdf")
        let semicolon = ContentDisposition(parsing: "attachment; filename=\"a;b \\\"c\\\".pdf\"")
        #expect(semicolon?.filename == "a;b \"c\".pdf")
        let utf8 = ContentDisposition(parsing: "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''s%C3%B8knad%20om%20%C3%A5.pdf")
        #expect(utf8?.filename == "søknad om å.pdf")
        let latin1 = ContentDisposition(parsing: "attachment; name*=ISO-8859-1'no'Bl%E5b%E6r; filename*=iso-8859-1''%F8.txt")
        #expect(latin1?.name == "Blåbær")
        #expect(latin1?.filename == "ø.txt")
        #expect(ContentDisposition(parsing: "form-data; name=sbd")?.filename == nil)
        #expect(ContentDisposition(parsing: "") == nil)
        #expect(ContentDisposition(parsing: "attachment; filename*=UTF-8''%ZZ") == nil)
        #expect(ContentDisposition(parsing: "ATTACHMENT; FILENAME=x")?.filename == "x")
    }

    @Test func filenameSafety() {
        for ok in ["a.pdf", "before_the_law.txt", "a..b.pdf", "søknad.pdf", ".hidden"] {
            #expect(Filename.isSafe(ok), "\(ok)")
        }
        let cases: [(String, FilenameError.Reason)] = [
            ("", .empty), ("  ", .empty), ("a/b.pdf", .pathSeparator), ("/etc/passwd", .pathSeparator),
            ("..\\x", .pathSeparator), ("..", .dotSegment), (".", .dotSegment), ("a\u{0}b", .controlCharacter),
            ("a\nb", .controlCharacter), ("C:x.pdf", .absolutePath),
        ]
        for (name, reason) in cases {
            #expect(throws: FilenameError(filename: name, reason: reason)) { try Filename.validate(name) }
        }
        do {
            try Filename.validate("../x")
        } catch {
            #expect(error.message == "Invalid filename '../x': the filename must not contain '/' or '\\'. Please send a plain file name without directories.")
        }
    }
}
