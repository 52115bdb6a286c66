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
        .library(name: "DiscoRuntime", targets: ["DiscoRuntime"]),
        .library(name: "DiscoServer", targets: ["DiscoServer"]),
        .executable(name: "disco-sm", targets: ["disco-sm"]),
        .executable(name: "disco-cli", targets: ["disco-cli"]),
    ],
    targets: [
        // glibc functions the Glibc module map leaves out (thread names, pipe2, malloc_trim).
        .target(name: "CDiscoSystem"),
        // Pure domain: spec, catalog, planning, templates, lifecycle, registry. Foundation only.
        .target(
            name: "DiscoCore",
            resources: [.copy("Resources/components"), .copy("Resources/scripts")],
            swiftSettings: strict
        ),
        // Process runtime for the executables: child processes (ssh-keygen), heap trimming, process memory, the
        // batching log writer.
        .target(name: "DiscoRuntime", dependencies: ["CDiscoSystem", "DiscoCore"], swiftSettings: strict),
        // The OCCI codec: bytes and header lists in, typed models out, and back. No I/O.
        .target(name: "DiscoOCCI", swiftSettings: strict),
        // Keystone/Heat/Nova/Neutron/Glance clients over `HTTPTransport`, and the simulated cloud.
        .target(name: "DiscoOpenStack", dependencies: ["DiscoCore"], swiftSettings: strict),
        // The service manager as a library: HTTP/1.1 engine, OCCI + REST routes, dashboard, configuration,
        // the simulated cloud served over HTTP.
        .target(
            name: "DiscoServer",
            dependencies: ["CDiscoSystem", "DiscoCore", "DiscoOCCI", "DiscoOpenStack", "DiscoRuntime"],
            resources: [.copy("Dashboard/static")],
            swiftSettings: strict
        ),
        // The service manager's executable: arguments and configuration file in, DiscoServer run.
        .executableTarget(
            name: "disco-sm",
            dependencies: ["DiscoCore", "DiscoOpenStack", "DiscoRuntime", "DiscoServer"],
            swiftSettings: strict
        ),
        // The command-line client.
        .executableTarget(
            name: "disco-cli",
            dependencies: ["DiscoCore", "DiscoOpenStack", "DiscoRuntime"],
            swiftSettings: strict
        ),
        // Benchmarks (composition speed and memory); see Benchmarks/README.md.
        .executableTarget(name: "disco-bench", dependencies: ["DiscoCore", "DiscoOCCI", "DiscoRuntime"], path: "Benchmarks/disco-bench",
                          swiftSettings: strict),
        .testTarget(name: "DiscoCoreTests", dependencies: ["DiscoCore"], swiftSettings: strict),
        // The README's library example, against DiscoCore's public API only.
        .testTarget(name: "DiscoCoreExampleTests", dependencies: ["DiscoCore"], swiftSettings: strict),
        .testTarget(name: "DiscoRuntimeTests", dependencies: ["DiscoRuntime", "DiscoCore"], swiftSettings: strict),
        .testTarget(name: "DiscoOCCITests", dependencies: ["DiscoOCCI"], swiftSettings: strict),
        .testTarget(name: "DiscoOpenStackTests", dependencies: ["DiscoOpenStack", "DiscoCore"], swiftSettings: strict),
        .testTarget(name: "DiscoServerTests", dependencies: ["DiscoServer", "DiscoCore", "DiscoOCCI", "DiscoOpenStack", "DiscoRuntime"],
                    swiftSettings: strict),
        // Tests of the disco-sm binary as a process (it is built first), and of the install scripts' signals against
        // the simulated cloud served over HTTP and against the real cloud.
        .testTarget(name: "disco-smTests", dependencies: ["disco-sm", "DiscoCore", "DiscoOpenStack", "DiscoServer", "DiscoRuntime"],
                    swiftSettings: strict),
        .testTarget(name: "disco-cliTests", dependencies: ["disco-cli", "DiscoCore", "DiscoRuntime"], swiftSettings: strict),
    ]
)
