import Channels
import Foundation
import Packaging
import Sandbox
import Synchronization
import Testing
import TestTools
import ZIPFoundation

@Suite("DPE: the Service Bus payload {\"sbd\":…,\"asic\":…} and its PKCS#1 v1.5 CMS container")
struct DPEPayloadTests {
    static let sbd = Data("""
        {
          "standardBusinessDocumentHeader" : { "headerVersion" : "1.0", "note" : "a \\"quoted\\" } brace" },
          "innsynskrav" : { "orgnr" : "910075918", "epost" : "ola@example.no", "sikkerhetsnivaa" : 3 }
        }
        """.utf8)

    /// Python reads the body as any JSON reader does and undoes Base64 twice, as the upstream's Jackson + decoder do.
    static func pythonRead(_ body: Data, scratch: Scratch) throws -> (sbd: Any, container: Data?) {
        try body.write(to: scratch.file("payload.json"))
        let script = """
            import base64, json, sys
            payload = json.load(open(sys.argv[1]))
            sys.stdout.write(json.dumps(payload['sbd'], sort_keys=True) + '\\n')
            if 'asic' in payload:
                open(sys.argv[2], 'wb').write(base64.b64decode(base64.b64decode(payload['asic'], validate=True), validate=True))
            sys.stdout.write(','.join(sorted(payload.keys())))
            """
        let output = String(decoding: try Tool.run("python3", ["-c", script, scratch.path("payload.json"), scratch.path("container.bin")]),
                            as: UTF8.self)
        let lines = output.split(separator: "\n").map(String.init)
        let sbd = try JSONSerialization.jsonObject(with: Data(lines[0].utf8))
        let keys = lines[1].split(separator: ",").map(String.init)
        let container = keys.contains("asic") ? try Data(contentsOf: scratch.file("container.bin")) : nil
        return (sbd, container)
    }

    @Test("asic is Base64 of the Base64 of the container, as upstream's byte[] field goes through Jackson; Python reads it back")
    func encodeWithContainer() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let container = Data([0x30, 0x80] + (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let body = DPEPayload.encode(sbdJSON: Self.sbd, encryptedContainer: container)
        let read = try Self.pythonRead(body, scratch: scratch)
        #expect(read.container == container)
        let expected = try JSONSerialization.jsonObject(with: Self.sbd)
        #expect(NSDictionary(dictionary: read.sbd as! [String: Any]).isEqual(to: expected as! [String: Any]))

        let decoded = try DPEPayload.decode(body)
        #expect(decoded.sbdJSON == Self.sbd, "the SBD bytes come back exactly as sent")
        #expect(decoded.encryptedContainer == container)
    }

    @Test("without files there is no asic member at all")
    func encodeWithoutContainer() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let body = DPEPayload.encode(sbdJSON: Self.sbd, encryptedContainer: nil)
        #expect(try Self.pythonRead(body, scratch: scratch).container == nil)
        #expect(!String(decoding: body, as: UTF8.self).contains("asic"))
        let decoded = try DPEPayload.decode(body)
        #expect(decoded.encryptedContainer == nil)
        #expect(decoded.sbdJSON == Self.sbd)
    }

    @Test("the reader takes single Base64 too, asic before sbd, null asic, and refuses what is no DPE payload")
    func decodeVariants() throws {
        let container = Data([0x30, 0x82, 0x01, 0x00, 0x42])
        let single = Data(#"{ "asic" : "\#(container.base64EncodedString())", "sbd" : {"a":[1,{"b":"}"}]} }"#.utf8)
        let decoded = try DPEPayload.decode(single)
        #expect(decoded.encryptedContainer == container)
        #expect(String(decoding: decoded.sbdJSON, as: UTF8.self) == #"{"a":[1,{"b":"}"}]}"#)
        #expect(try DPEPayload.decode(Data(#"{"sbd":{},"asic":null}"#.utf8)).encryptedContainer == nil)

        let refused: [(String, String)] = [
            ("not json", "not a DPE payload"),
            (#"["sbd"]"#, "not a JSON object"),
            (#"{"asic":"MA=="}"#, "no \"sbd\""),
            (#"{"sbd":"text"}"#, "no \"sbd\""),
            (#"{"sbd":{},"asic":42}"#, "not a Base64 string"),
            (#"{"sbd":{},"asic":"%%%"}"#, "not Base64"),
            (#"{"sbd":{},"asic":"aGVsbG8="}"#, "does not decode to a CMS envelope"),
        ]
        for (body, reason) in refused {
            let error = #expect(throws: DPEPayload.DecodingError.self) { _ = try DPEPayload.decode(Data(body.utf8)) }
            #expect(error?.description.contains(reason) == true, "\(body): \(error?.description ?? "")")
        }
    }

    @Test("the container is the signed ASiC-E, CMS with PKCS#1 v1.5 key transport that openssl cms decrypts")
    func packerUsesPKCS1v15() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("dpe-ca", 2048))
        let senderIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Avsender",
                                                                      key: try TestKeys.key("dpe-sender", 2048))
        let receiverIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker",
                                                                        key: try TestKeys.key("dpe-receiver", 2048))
        let order = Data("<bestilling><dokument>1</dokument></bestilling>".utf8)
        let attachment = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let documents = [AsicDocument(filename: "order.xml", mimeType: "application/xml", data: order),
                         AsicDocument(filename: "vedlegg.bin", mimeType: "application/octet-stream", data: attachment)]
        let manifest = EformidlingManifest(receiver: "0192:\(receiver)", sender: "0192:\(sender)",
                                           primaryDocumentFilename: "order.xml", primaryDocumentMimeType: "application/xml")
        let body = try DPEMessagePacker().payload(
            sbdJSON: Self.sbd,
            container: DPEMessagePacker.asicContainer(documents: documents, manifest: manifest,
                                                      signer: try senderIdentity.keystoreEntry(), signingTime: Date()),
            receiverCertificateDER: receiverIdentity.certificateDER)
        let cms = try #require(try Self.pythonRead(body, scratch: scratch).container)
        try cms.write(to: scratch.file("asic.cms"))

        let printed = String(decoding: try Tool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", scratch.path("asic.cms")]),
                             as: UTF8.self)
        #expect(printed.contains("rsaEncryption"))
        #expect(!printed.contains("rsaesOaep"))
        #expect(printed.contains("aes-256-cbc"))

        try Data(receiverIdentity.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
        try Data(receiverIdentity.certificatePEM.utf8).write(to: scratch.file("cert.pem"))
        try Tool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", scratch.path("asic.cms"), "-inkey", scratch.path("key.pem"),
                                 "-recip", scratch.path("cert.pem"), "-out", scratch.path("asic.zip")])
        let archive = try Archive(url: scratch.file("asic.zip"), accessMode: .read)
        let names = Set(archive.map(\.path))
        #expect(names.isSuperset(of: ["mimetype", "manifest.xml", "order.xml", "vedlegg.bin", "META-INF/ASiCManifest.xml"]))
        var extracted = Data()
        _ = try archive.extract(try #require(archive["vedlegg.bin"])) { extracted.append($0) }
        #expect(extracted == attachment)
        let reader = try AsicReader(data: try Data(contentsOf: scratch.file("asic.zip")))
        #expect(try reader.verify().signer == senderIdentity.certificate)
    }

    @Test("a container beyond the upload limit stops packing with a clear error; a missing certificate is named")
    func packerLimits() throws {
        let packer = DPEMessagePacker(uploadSizeLimit: 1000)
        #expect(packer.maximumContainerBytes == 1000 + (1 << 20))
        let receiverIdentity = try SandboxCertificateAuthority(key: try TestKeys.key("dpe-ca", 2048))
            .issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker", key: try TestKeys.key("dpe-receiver", 2048))
        let written = Mutex(0)
        let error = #expect(throws: DPEMessagePacker.PackingError.self) {
            _ = try packer.payload(sbdJSON: Self.sbd, container: { sink in
                for _ in 0..<64 {
                    try sink(Data(count: 64 * 1024))
                    written.withLock { $0 += 1 }
                }
            }, receiverCertificateDER: receiverIdentity.certificateDER)
        }
        #expect(error?.description.contains("upload-size-limit") == true)
        #expect(written.withLock { $0 } < 64, "packing stopped at the limit, not after the whole container")
        #expect(throws: DPEMessagePacker.PackingError.missingCertificate) {
            _ = try packer.payload(sbdJSON: Self.sbd, container: { _ in }, receiverCertificateDER: nil)
        }
    }
}
