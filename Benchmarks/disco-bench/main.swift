// disco-bench: composition benchmark and state seeding; see Benchmarks/README.md.
//
//   disco-bench compose [--runs N] [--sizes 1,10,100,1000,10000]   table of plan/render time and peak memory per size
//   disco-bench compose-one --workers N [--runs N]                  one size, in this process (JSON line; used by compose)
//   disco-bench seed-state --dir D [--count N] [--project demo]     a state directory with N ready clusters
//   disco-bench load-state --dir D [--runs N]                       time opening that state (median) and its memory
//   disco-bench occi-parse [--runs N]                               OCCI parse time of long inputs against their length
import DiscoCore
import DiscoRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Arguments

let arguments = Array(CommandLine.arguments.dropFirst().dropFirst())
let command = CommandLine.arguments.dropFirst().first ?? "help"

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("disco-bench: \(message)\n".utf8))
    exit(1)
}

// MARK: - Measuring

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

// MARK: - Planning fixtures

/// The simulated cloud's inventory, with no quota limits.
let inventory = CloudInventory(
    images: [Image(id: "img-1", name: "ubuntu-22.04")],
    flavors: [Flavor(id: "2", name: "m1.medium", vcpus: 2, ramMB: 4096, diskGB: 40),
              Flavor(id: "3", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80),
              Flavor(id: "4", name: "m1.xlarge", vcpus: 8, ramMB: 16384, diskGB: 160)],
    networks: [Network(id: "net-1", name: "public", isExternal: true)],
    quota: QuotaHeadroom())

let benchKeys = ClusterKeys(
    user: SSHKeyPair(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkUserKey disco-user", privateKey: "unused"))

func loadCatalog() -> ComponentCatalog {
    do { return try .builtIn() } catch { fail("cannot load the built-in catalog: \(error)") }
}

/// Every non-implicit component of the catalog, with the properties each requires.
func everyComponent(_ catalog: ComponentCatalog) -> [String: [String: String]] {
    var components: [String: [String: String]] = [:]
    for name in catalog.names where catalog[name]?.manifest.isImplicit == false {
        var properties: [String: String] = [:]
        for (key, definition) in catalog[name]?.manifest.properties ?? [:] where definition.isRequired {
            properties[key] = key == "password" ? "benchmark-pass-1" : (definition.defaultValue ?? "x")
        }
        components[name] = properties
    }
    return components
}

func spec(workers: Int, components: [String: [String: String]]) -> ClusterSpec {
    // Every component fits 16 GB nodes; smaller ones are refused for some combinations (the memory budget).
    ClusterSpec(name: "bench", master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.xlarge"),
                worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.xlarge"), workers: workers,
                externalNetwork: "public", components: components)
}

// MARK: - compose-one

struct SizeResult: Codable {
    var workers: Int
    var runs: Int
    var components: Int
    var planMs: Double
    var jsonMs: Double
    var yamlMs: Double
    var totalMs: Double
    var jsonBytes: Int
    var yamlBytes: Int
    var baselineKiB: Int
    var peakKiB: Int
}

func composeOne(workers: Int, runs: Int) -> SizeResult {
    let catalog = loadCatalog()
    let components = everyComponent(catalog)
    let planner = Planner(catalog: catalog, options: PlanOptions(limits: SpecLimits(maxWorkers: max(workers, 1000))))
    let context = PlanContext(clusterID: "0f5e1c2a-9b7d-4e3f-8a61-2c4d5e6f7a8b", keys: benchKeys, secretSalt: "0123456789ab")
    let clusterSpec = spec(workers: workers, components: components)
    let baseline = ProcessMemory.peakResidentKiB() ?? -1
    var plans: [Double] = [], jsons: [Double] = [], yamls: [Double] = [], totals: [Double] = []
    var jsonBytes = 0, yamlBytes = 0, componentCount = 0
    for _ in 0..<runs {
        let t0 = now()
        let plan: ClusterPlan
        do { plan = try planner.plan(clusterSpec, inventory: inventory, context: context) } catch { fail("plan failed: \(error)") }
        let t1 = now()
        let json = plan.template.json()
        let t2 = now()
        let yaml = plan.template.yaml()
        let t3 = now()
        plans.append((t1 - t0) * 1000); jsons.append((t2 - t1) * 1000); yamls.append((t3 - t2) * 1000); totals.append((t3 - t0) * 1000)
        jsonBytes = json.utf8.count; yamlBytes = yaml.utf8.count; componentCount = plan.components.count
    }
    return SizeResult(workers: workers, runs: runs, components: componentCount, planMs: median(plans), jsonMs: median(jsons),
                      yamlMs: median(yamls), totalMs: median(totals), jsonBytes: jsonBytes, yamlBytes: yamlBytes,
                      baselineKiB: baseline, peakKiB: (ProcessMemory.peakResidentKiB() ?? -1))
}

/// Runs `compose-one` for each size in a fresh child process, so each peak-memory figure is that size's own.
func compose(sizes: [Int], runs: Int) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    var results: [SizeResult] = []
    for size in sizes {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["compose-one", "--workers", String(size), "--runs", String(runs)]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { fail("cannot run \(executable): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let result = try? JSONDecoder().decode(SizeResult.self, from: data) else {
            fail("compose-one --workers \(size) failed (status \(process.terminationStatus))")
        }
        results.append(result)
    }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    print("composition: plan + render JSON + render YAML, every component (\(results.first?.components ?? 0) incl. implicit), median of \(runs) runs; load \(load)")
    print(pad("workers", 8) + pad("plan ms", 10) + pad("JSON ms", 10) + pad("YAML ms", 10) + pad("total ms", 10)
          + pad("JSON KiB", 10) + pad("YAML KiB", 10) + pad("peak MiB", 10) + pad("Δpeak MiB", 11))
    for r in results {
        print(pad(String(r.workers), 8) + pad(fmt(r.planMs), 10) + pad(fmt(r.jsonMs), 10) + pad(fmt(r.yamlMs), 10)
              + pad(fmt(r.totalMs), 10) + pad(fmt(Double(r.jsonBytes) / 1024, 1), 10) + pad(fmt(Double(r.yamlBytes) / 1024, 1), 10)
              + pad(fmt(Double(r.peakKiB) / 1024, 1), 10) + pad(fmt(Double(r.peakKiB - r.baselineKiB) / 1024, 1), 11))
    }
    // Growth check: time per size relative to 1 worker must not grow faster than the worker count.
    if let first = results.first, let last = results.last, last.workers > first.workers {
        let timeRatio = last.totalMs / max(first.totalMs, 0.001)
        let sizeRatio = Double(last.workers) / Double(max(first.workers, 1))
        print("growth \(first.workers)→\(last.workers) workers: time ×\(fmt(timeRatio)) for size ×\(fmt(sizeRatio, 0)) — "
              + (timeRatio <= sizeRatio ? "linear or better" : "WORSE THAN LINEAR"))
    }
    if let thousand = results.first(where: { $0.workers == 1000 }) {
        print("1,000 workers: \(fmt(thousand.totalMs)) ms (target < 50 ms) — \(thousand.totalMs < 50 ? "ok" : "MISSED")")
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : String(repeating: " ", count: width - s.count) + s }
func fmt(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

// MARK: - seed-state

/// The simulated cloud's id for a project name (SimulatedCloud.stableID, repeated here: disco-bench links DiscoCore only).
func simulatedProjectID(_ projectName: String) -> String {
    var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
    for byte in "project-\(projectName)".utf8 {
        a = (a ^ UInt64(byte)) &* 0x100000001b3
        b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 7
    }
    let chars = Array(String(format: "%016llx%016llx", a, b))
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
}

func seedState(directory: String, count: Int, projectName: String) {
    let catalog = loadCatalog()
    let planner = Planner(catalog: catalog)
    let context = PlanContext(clusterID: "seed", keys: benchKeys, secretSalt: "seed")
    let plan: ClusterPlan
    do {
        plan = try planner.plan(spec(workers: 2, components: ["spark": [:]]), inventory: inventory, context: context)
    } catch { fail("plan failed: \(error)") }
    let projectID = simulatedProjectID(projectName)
    let userID = simulatedProjectID(projectName).replacingOccurrences(of: "-", with: "").prefix(32).description
    let t0 = now()
    // Records are written to a store on tmpfs (fsync is free there), then the folded snapshot is moved into place:
    // the same bytes FileJournalStore writes, in seconds instead of 10,000 fsyncs.
    let scratch = URL(fileURLWithPath: "/dev/shm/disco-seed-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    do {
        let store = try FileJournalStore(directory: scratch, compactAfter: count + 1)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for index in 0..<count {
            var clusterSpec = plan.spec
            clusterSpec.name = "seed-\(index)"
            let id = String(format: "5eed0000-0000-4000-8000-%012d", index)
            var record = ClusterRecord(id: id, projectID: projectID, projectName: projectName, userID: userID, spec: clusterSpec,
                                       components: plan.components, uiLinks: plan.uiLinks, totals: plan.totals,
                                       stackName: "disco-seed-\(index)", createdAt: start.addingTimeInterval(Double(index)))
            record.stackID = String(format: "5eed5eed-0000-4000-8000-%012d", index)
            record.state = .ready
            record.stateReason = "all components are ready"
            record.stackStatus = "CREATE_COMPLETE"
            record.outputs = ["master_ip": "172.24.4.\(index % 250 + 2)", "ssh_public_key": benchKeys.user.publicKey]
            for name in record.progress.keys { record.progress[name] = ComponentProgress(state: .ready, detail: "ready") }
            record.note("stack CREATE_COMPLETE", at: record.createdAt)
            try store.put(record)
        }
        try store.compact()
        let target = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: target.appendingPathComponent("secrets"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        for name in ["clusters.snapshot", "clusters.journal"] {
            let destination = target.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: scratch.appendingPathComponent(name), to: destination)
        }
        // Read it back the way disco-sm will.
        let check = try FileJournalStore(directory: target)
        let loaded = try check.loadAll().count
        guard loaded == count else { fail("wrote \(count) records, read back \(loaded)") }
    } catch {
        fail("seeding failed: \(error)")
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: directory + "/clusters.snapshot")[.size] as? Int) ?? 0
    print("seeded \(count) ready clusters of project \(projectName) (\(projectID)) in \(directory): "
          + "\(bytes / 1024) KiB snapshot, \(fmt(now() - t0)) s")
}

// MARK: - load-state

/// Opens the store in `directory` `runs` times: median open time, records, resident memory with the last one open,
/// and the time of one compaction (it rewrites the snapshot in place: same records, same bytes).
func loadState(directory: String, runs: Int) {
    let url = URL(fileURLWithPath: directory)
    let baseline = ProcessMemory.residentKiB() ?? -1
    var times: [Double] = []
    var kept: FileJournalStore?
    var count = 0
    for _ in 0..<max(1, runs) {
        kept = nil
        let t0 = now()
        do {
            let store = try FileJournalStore(directory: url)
            count = try store.loadAll().count
            times.append(now() - t0)
            kept = store
        } catch { fail("opening \(directory) failed: \(error)") }
    }
    let rss = ProcessMemory.residentKiB() ?? -1
    // Compaction rewrites every record (under the store's lock): what one costs at this size.
    let t0 = now()
    do { try kept?.compact() } catch { fail("compacting \(directory) failed: \(error)") }
    let compactMs = (now() - t0) * 1000
    print("opened \(count) records from \(directory): median \(fmt(median(times) * 1000)) ms of \(times.count) runs "
          + "(min \(fmt((times.min() ?? 0) * 1000)) ms); RSS \(rss / 1024) MiB (\(baseline / 1024) MiB before), "
          + "peak \((ProcessMemory.peakResidentKiB() ?? -1) / 1024) MiB; one compaction \(fmt(compactMs)) ms")
}

// MARK: - Main

switch command {
case "compose":
    let sizes = (option("--sizes") ?? "1,10,100,1000,10000").split(separator: ",").compactMap { Int($0) }
    compose(sizes: sizes, runs: Int(option("--runs") ?? "") ?? 21)
case "compose-one":
    guard let workers = option("--workers").flatMap(Int.init) else { fail("compose-one needs --workers N") }
    let result = composeOne(workers: workers, runs: Int(option("--runs") ?? "") ?? 21)
    let encoder = JSONEncoder()
    print(String(decoding: (try? encoder.encode(result)) ?? Data(), as: UTF8.self))
case "seed-state":
    guard let directory = option("--dir") else { fail("seed-state needs --dir D") }
    seedState(directory: directory, count: Int(option("--count") ?? "") ?? 10_000, projectName: option("--project") ?? "demo")
case "load-state":
    guard let directory = option("--dir") else { fail("load-state needs --dir D") }
    loadState(directory: directory, runs: Int(option("--runs") ?? "") ?? 5)
case "occi-parse":
    occiParse(runs: Int(option("--runs") ?? "") ?? 5)
default:
    print("""
        usage: disco-bench compose [--runs N] [--sizes 1,10,100,1000,10000]
               disco-bench compose-one --workers N [--runs N]
               disco-bench seed-state --dir D [--count N] [--project demo]
               disco-bench load-state --dir D [--runs N]
               disco-bench occi-parse [--runs N]
        """)
}
