import DiscoCore
import Foundation

/// Whether `value` matches the regular expression `pattern` in full.
func matches(_ value: String, pattern: String) -> Bool {
    guard let pattern = try? Pattern(validating: pattern) else { return true }
    return pattern.matches(value)
}

extension Context {
    /// Reads a spec file (`-` is standard input).
    func readSpecFile(_ path: String?) throws -> String? {
        guard let path else { return nil }
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "cannot read the spec file \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    func makeRequest(_ options: SpecOptions) throws -> SpecRequest {
        do {
            return try options.makeRequest(fileContents: try readSpecFile(options.file))
        } catch let error as SpecBuildError where error.isUsage {
            throw UsageError(error.description, command: "create")
        }
    }

    /// On a terminal, asks for required properties that have no default and were not given (e.g. Jupyter's password),
    /// secrets without echo. Elsewhere the server (or planner) reports them.
    func askMissingProperties(_ spec: inout ClusterSpec, catalog: CatalogInfo) throws {
        guard console.isInputTTY else { return }
        let prompter = Prompter(console: console)
        for name in catalog.closure(Array(spec.components.keys)) {
            guard let manifest = catalog.manifests[name] else { continue }
            for (key, definition) in manifest.properties.sorted(by: { $0.key < $1.key })
            where definition.isRequired && definition.defaultValue == nil && spec.components[name]?[key] == nil {
                let question = "\(name).\(key)" + (definition.summary.isEmpty ? "" : " (\(definition.summary))")
                do {
                    let value: String = try prompter.ask(question, secret: definition.isSecret) { answer in
                        if answer.isEmpty { return .failure(PromptProblem("a value is required")) }
                        if let pattern = definition.pattern, !matches(answer, pattern: pattern) {
                            return .failure(PromptProblem("does not match \(pattern)"))
                        }
                        return .success(answer)
                    }
                    spec.components[name, default: [:]][key] = value
                } catch {
                    throw CommandFailure(message: "no value for \(name).\(key)")
                }
            }
        }
    }

    func create(_ command: CreateCommand) async throws {
        var request = try makeRequest(command.spec)
        if console.isInputTTY, !request.spec.components.isEmpty, let catalog = try? await anonymousClient().components().0 {
            try askMissingProperties(&request.spec, catalog: CatalogInfo(catalog))
        }
        let (created, data) = try await withClient { [request] in try await $0.create(request) }
        try await finishCreate(created, data: data, wait: command.wait)
    }

    /// Reports a created cluster, following it with `--wait`.
    func finishCreate(_ created: ClusterView, data: Data, wait: WaitOptions) async throws {
        if !global.json {
            console.print("Created cluster \(console.paint(created.name, .bold)) (\(created.id)): "
                          + created.components.map { "\($0.name) \($0.version)" }.joined(separator: ", "))
        }
        guard wait.wait else {
            if global.json { return emitJSON(data) }
            console.print("It is being created in the background; follow it with: disco-cli watch \(created.name)")
            return
        }
        let (final, finalData) = try await follow(created.id, options: wait, until: "ready")
        if global.json { emitJSON(finalData) }
        try check(final, expected: "ready")
        if !global.json {
            console.print("Cluster \(final.name) is \(console.paint("ready", .green))"
                          + (final.externalIP.map { " at \($0). Get its key: disco-cli ssh-key \(final.name); log in: disco-cli ssh \(final.name)" } ?? "."))
        }
    }
}
