// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "integrasjonspunkt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "integrasjonspunkt", targets: ["integrasjonspunkt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Value types of the domain: SBD, identifiers, statuses, errors. No I/O.
        .target(name: "Model"),
        // The legacy BEST/EDU (NOARK 4 noarkExchange) SOAP dialect: envelopes, Melding, AppReceipt, the
        // transformations to and from arkivmelding, the served WSDL. Pure: no I/O.
        .target(name: "NoarkExchange", dependencies: ["Model"]),
        // properties/YAML/environment/command line → one typed, validated configuration.
        .target(name: "IPConfiguration", dependencies: [
            "Model",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Keystores, CMS, ASiC-E, CAdES, JWS/JWT: pure functions over bytes and streams.
        .target(name: "Packaging", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The store contract and its embedded (SQLite) implementation.
        .target(name: "Storage", dependencies: [
            "Model",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Clients of the national services: service registry, Maskinporten, Altinn 3 Broker (DPO).
        .target(name: "Channels", dependencies: [
            "Model", "Packaging", "NoarkExchange",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // A local eFormidling network on loopback: registry, Maskinporten, Altinn broker, KS SvarUt/SvarInn, test CA.
        .target(name: "Sandbox", dependencies: [
            "Model", "Packaging", "NoarkExchange",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // Use cases: send, receive, statuses, TTL, retries, webhooks. No HTTP server, no SQL.
        .target(name: "Engine", dependencies: [
            "Model", "Storage", "Packaging", "IPConfiguration", "NoarkExchange",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The NextMove REST API and /manage on Hummingbird.
        .target(name: "HTTPAPI", dependencies: [
            "Model", "Engine", "Storage", "NoarkExchange", "Packaging",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // Operations: log handlers (masking, JSON, rotating file), Prometheus metrics, the SNTP clock check, doctor.
        .target(name: "Operations", dependencies: [
            "Model", "IPConfiguration", "Packaging", "Storage", "Engine", "Channels",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "integrasjonspunkt", dependencies: [
            "Model", "IPConfiguration", "Packaging", "Storage", "Engine", "HTTPAPI", "Channels", "Sandbox", "Operations",
            "NoarkExchange",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),

        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "NoarkExchangeTests", dependencies: ["NoarkExchange", "Model", "TestTools"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "IPConfigurationTests", dependencies: ["IPConfiguration", "Model"]),
        .testTarget(name: "PackagingTests", dependencies: [
            "Packaging", "TestTools",
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Model"]),
        // External tools (openssl, keytool, python3), scratch folders and reusable RSA keys for the tests.
        .target(name: "TestTools", dependencies: [
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], path: "Tests/TestTools"),
        // Doubles and fixtures shared by the test targets.
        .target(name: "TestSupport", dependencies: [
            "Engine", "Storage", "Model", "TestTools",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: [
            "Engine", "Storage", "Model", "Packaging", "TestSupport", "TestTools", "NoarkExchange",
        ]),
        .testTarget(name: "HTTPAPITests", dependencies: [
            "HTTPAPI", "Engine", "Storage", "Model", "TestSupport", "NoarkExchange", "Packaging",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ChannelsTests", dependencies: [
            "Channels", "Sandbox", "Packaging", "Model", "TestTools", "NoarkExchange",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "Packaging", "TestTools", "NoarkExchange",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The release script, the sample configuration and the service files.
        .testTarget(name: "DistributionTests", dependencies: ["IPConfiguration"]),
        .testTarget(name: "OperationsTests", dependencies: [
            "Operations", "Sandbox", "Channels", "Packaging", "IPConfiguration", "Storage", "Engine", "Model",
            "HTTPAPI", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "Model", "Sandbox", "Packaging", "TestTools", "NoarkExchange",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
