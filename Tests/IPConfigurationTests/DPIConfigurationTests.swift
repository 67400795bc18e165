import Foundation
import Testing
@testable import IPConfiguration

@Suite struct DPIConfigurationTests {
    @Test func defaultsAreTheUpstreamOnesWithTheOrganisationKeystore() throws {
        let folder = try minimalFolder()
        let config = try folder.load().configuration
        let dpi = config.dpi
        #expect(config.profile == .production)
        #expect(!config.features.enableDPI)
        #expect(dpi.uri == "https://edi.edigard.com/api/v2/dpi")
        #expect(dpi.krrPrintURL == "https://kontaktregisteret.no/rest/v2/printSertifikat")
        #expect(dpi.certificateMode == .production)
        #expect(dpi.mpcID == "no.difi.move.integrasjonspunkt")
        #expect(dpi.channels == ["no.difi.move.integrasjonspunkt"])
        #expect(dpi.pollWithoutAvsenderidentifikator)
        #expect(dpi.avsenderidentifikatorList.isEmpty)
        #expect(dpi.pollingRate == .seconds(10))
        #expect(dpi.pageSize == 100)
        #expect(dpi.language == "NO")
        #expect(dpi.temporaryFileThreshold == 1_000_000)
        #expect(dpi.connectTimeout == .seconds(5) && dpi.readTimeout == .seconds(60) && dpi.writeTimeout == .seconds(60))
        #expect(dpi.keystore == config.org.keystore)
        #expect(dpi.oidc.keystore == config.org.keystore)
        #expect(dpi.oidc.scopes == ["digitalpostinnbygger:send"])
        #expect(dpi.oidc.url == config.oidc.url)
        #expect(dpi.oidc.enabled)
        #expect(config.uploadSizeLimits.dpi == 50 << 20)
    }

    @Test func stagingUsesTheTestCorner2AndTestCertificates() throws {
        let folder = try minimalFolder(extra: "spring.profiles.active=staging\n")
        let dpi = try folder.load().configuration.dpi
        #expect(dpi.uri == "https://sandbox1.ediex.no/api/v2/dpi")
        #expect(dpi.certificateMode == .test)
        #expect(dpi.channels == ["no_difi_move_integrasjonspunkt-staging"])
    }

    @Test func everyKeyIsRead() throws {
        let folder = try minimalFolder(extra: """
            difi.move.feature.enableDPI=true
            difi.move.dpi.uri=https://c2.example.no/api/v2/dpi/
            difi.move.dpi.krr-print-url=https://krr.example.no/rest/v2/printSertifikat
            difi.move.dpi.mpcId=my.mpc
            difi.move.dpi.mpcConcurrency=3
            difi.move.dpi.avsenderidentifikatorListe=skatt,helse
            difi.move.dpi.pollWithoutAvsenderidentifikator=false
            difi.move.dpi.pollingrate=5000
            difi.move.dpi.pageSize=20
            difi.move.dpi.language=EN
            difi.move.dpi.timeout.connect=1s
            difi.move.dpi.timeout.read=2000
            difi.move.dpi.temporary-file-threshold=2MB
            difi.move.dpi.temporary-file-directory=tmp/dpi
            difi.move.dpi.certificate.mode=test
            difi.move.dpi.certificate.trusted-certificates=file:sandbox-ca.pem
            difi.move.dpi.keystore.path=dpi.p12
            difi.move.dpi.keystore.alias=dpi-alias
            difi.move.dpi.keystore.password=dpi-secret
            difi.move.dpi.oidc.clientId=my-client
            difi.move.dpi.oidc.audience=https://maskinporten.example/
            difi.move.dpi.default-ttl-hours=48
            difi.move.dpi.upload-size-limit=20MB

            """)
        try folder.write("dpi.p12", "x")
        try folder.write("sandbox-ca.pem", "x")
        let config = try folder.load().configuration
        let dpi = config.dpi
        #expect(dpi.uri == "https://c2.example.no/api/v2/dpi")
        #expect(dpi.krrPrintURL == "https://krr.example.no/rest/v2/printSertifikat")
        #expect(dpi.channels == ["my.mpc-0", "my.mpc-1", "my.mpc-2"])
        #expect(dpi.avsenderidentifikatorList == ["skatt", "helse"])
        #expect(!dpi.pollWithoutAvsenderidentifikator)
        #expect(dpi.pollingRate == .seconds(5))
        #expect(dpi.pageSize == 20)
        #expect(dpi.language == "EN")
        #expect(dpi.connectTimeout == .seconds(1) && dpi.readTimeout == .seconds(2))
        #expect(dpi.temporaryFileThreshold == 2 << 20)
        #expect(dpi.temporaryFileDirectory == folder.url.appendingPathComponent("tmp/dpi").path)
        #expect(dpi.certificateMode == .test)
        #expect(dpi.trustedCertificatesPath == folder.url.appendingPathComponent("sandbox-ca.pem").path)
        #expect(dpi.keystore.path == folder.url.appendingPathComponent("dpi.p12").path)
        #expect(dpi.keystore.alias == "dpi-alias" && dpi.keystore.password == "dpi-secret")
        #expect(dpi.oidc.keystore == dpi.keystore)
        #expect(dpi.oidc.clientId == "my-client" && dpi.oidc.audience == "https://maskinporten.example/")
        #expect(config.defaultTtlHours.dpi == 48)
        #expect(config.uploadSizeLimits.dpi == 20 << 20)
        let dump = config.maskedDump()
        #expect(!dump.contains("dpi-secret"))
    }

    @Test func mpcIdListeOverridesMpcIdAndConcurrency() throws {
        let folder = try minimalFolder(extra: "difi.move.dpi.mpcIdListe=a_1,b_2\ndifi.move.dpi.mpcConcurrency=4\n")
        #expect(try folder.load().configuration.dpi.channels == ["a_1", "b_2"])
    }

    @Test func valuesDPICannotWorkWithAreAllReportedWhenItIsOn() throws {
        let folder = try minimalFolder(extra: """
            difi.move.feature.enableDPI=true
            difi.move.dpi.certificate.mode=SELF_SIGNED
            difi.move.dpi.c2-type=file
            difi.move.dpi.receipt-type=xml
            difi.move.dpi.language=norsk
            difi.move.dpi.mpcConcurrency=0
            difi.move.dpi.oidc.enable=false
            difi.move.dpi.keystore.path=missing.p12
            difi.move.dpi.uri=ftp://c2

            """)
        let error = try #require(folder.loadError())
        let byKey = Dictionary(error.problems.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["difi.move.dpi.certificate.mode"]?.fix.contains("trusted-certificates") == true)
        #expect(byKey["difi.move.dpi.c2-type"]?.value == "file")
        #expect(byKey["difi.move.dpi.receipt-type"]?.value == "xml")
        #expect(byKey["difi.move.dpi.language"]?.value == "norsk")
        #expect(byKey["difi.move.dpi.mpcConcurrency"]?.value == "0")
        #expect(byKey["difi.move.dpi.oidc.mock.token"]?.fix.contains("difi.move.dpi.oidc.enable=true") == true)
        #expect(byKey["difi.move.dpi.keystore.path"]?.problem.contains("does not exist") == true)
        #expect(byKey["difi.move.dpi.uri"]?.problem == "is not an http(s) URL")
        #expect(error.problems.count == 8)
        for problem in error.problems { #expect(!problem.fix.isEmpty) }
    }

    @Test func choicesOnlyDPIUsesAreNotCheckedWhileItIsOff() throws {
        let folder = try minimalFolder(extra: "difi.move.dpi.certificate.mode=SELF_SIGNED\ndifi.move.dpi.c2-type=file\n")
        #expect(folder.loadError() == nil)
    }

    @Test func aMockTokenStandsInForMaskinporten() throws {
        let folder = try minimalFolder(extra: """
            difi.move.feature.enableDPI=true
            difi.move.dpi.oidc.enable=false
            difi.move.dpi.oidc.mock.token=abc.def.ghi

            """)
        let config = try folder.load().configuration
        #expect(!config.dpi.oidc.enabled)
        #expect(config.dpi.oidc.mockToken == "abc.def.ghi")
        #expect(!config.maskedDump().contains("abc.def.ghi"))
    }
}
