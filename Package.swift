// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "disco",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DiscoCore", targets: ["DiscoCore"]),
        .library(name: "DiscoOCCI", targets: ["DiscoOCCI"]),
        .library(name: "DiscoOpenStack", targets: ["DiscoOpenStack"]),
        .executable(name: "disco-sm", targets: ["disco-sm"]),
        .executable(name: "disco-cli", targets: ["disco-cli"]),
    ],
    targets: [
        // Pure domain: spec, catalog, planning, templates, lifecycle, registry. Foundation only.
        .target(
            name: "DiscoCore",
            resources: [.copy("Resources/components"), .copy("Resources/scripts")],
            swiftSettings: strict
        ),
        // The OCCI codec: bytes and header lists in, typed models out, and back. No I/O.
        .target(name: "DiscoOCCI", swiftSettings: strict),
        // Keystone/Heat/Nova/Neutron/Glance clients over `HTTPTransport`, and the simulated cloud.
        .target(name: "DiscoOpenStack", dependencies: ["DiscoCore"], swiftSettings: strict),
        // The service manager: HTTP engine, OCCI + REST routes, dashboard, configuration.
        .executableTarget(
            name: "disco-sm",
            dependencies: ["DiscoCore", "DiscoOCCI", "DiscoOpenStack"],
            resources: [.copy("Dashboard/static")],
            swiftSettings: strict
        ),
        // The command-line client.
        .executableTarget(
            name: "disco-cli",
            dependencies: ["DiscoCore", "DiscoOpenStack"],
            swiftSettings: strict
        ),
        // Benchmarks (composition speed and memory); see Benchmarks/README.md.
        .executableTarget(name: "disco-bench", dependencies: ["DiscoCore"], path: "Benchmarks/disco-bench",
                          swiftSettings: strict),
        .testTarget(name: "DiscoCoreTests", dependencies: ["DiscoCore"], swiftSettings: strict),
        .testTarget(name: "DiscoOCCITests", dependencies: ["DiscoOCCI"], swiftSettings: strict),
        .testTarget(name: "DiscoOpenStackTests", dependencies: ["DiscoOpenStack", "DiscoCore"], swiftSettings: strict),
        .testTarget(name: "disco-smTests", dependencies: ["disco-sm", "DiscoCore", "DiscoOCCI", "DiscoOpenStack"], swiftSettings: strict),
        .testTarget(name: "disco-cliTests", dependencies: ["disco-cli", "DiscoCore"], swiftSettings: strict),
    ]
)
