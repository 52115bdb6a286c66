import DiscoCore
import DiscoOpenStack
import Foundation

/// What one command runs with: options, environment, console, and the server connection.
struct Context: Sendable {
    var cli: CLI
    var global: GlobalOptions
    var console: Console

    var environment: [String: String] { cli.environment }

    /// `--url`, `DISCO_URL`, or the default.
    var serverURL: String {
        if let url = global.url { return url }
        if let url = environment["DISCO_URL"], !url.isEmpty { return url }
        return CLI.defaultURL
    }

    /// A token given by the user: `--token`, `DISCO_TOKEN`, `OS_TOKEN`.
    var givenToken: String? {
        if let token = global.token { return token }
        for name in ["DISCO_TOKEN", "OS_TOKEN"] {
            if let token = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty { return token }
        }
        return nil
    }

    func baseURL() throws -> URL {
        guard let url = URL(string: serverURL), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw CommandFailure(message: "DISCO_URL: '\(serverURL)' is not an http(s) URL, e.g. http://127.0.0.1:8888")
        }
        return url
    }

    /// A client without a token (catalog, sign-in).
    func anonymousClient() throws -> DiscoAPIClient {
        DiscoAPIClient(baseURL: try baseURL(), transport: cli.transport)
    }

    /// The cloud of `clouds.yaml` named by `--os-cloud` or `OS_CLOUD`, nil when none is named.
    func selectedCloud() throws -> CloudEntry? {
        guard let name = global.osCloud ?? environment["OS_CLOUD"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        do {
            return try CloudsConfiguration.load(environment: environment, directories: cli.cloudConfigDirectories).cloud(named: name)
        } catch {
            throw CommandFailure(message: error.message)
        }
    }

    /// The credentials for a sign-in. Each setting comes from its `OS_*` variable, else from the cloud named by
    /// `--os-cloud` / `OS_CLOUD` in `clouds.yaml` (with `secure.yaml`); with neither a user name nor a cloud, the
    /// simulated cloud's demo user.
    func credentials() throws -> (user: String, password: String, project: String, domain: String) {
        func env(_ names: String...) -> String? {
            for name in names { if let value = environment[name], !value.isEmpty { return value } }
            return nil
        }
        let cloud = try selectedCloud()
        let origin = cloud.map { "cloud '\($0.name)' of \($0.file)" } ?? ""
        guard let user = env("OS_USERNAME") ?? cloud?.username else {
            guard cloud != nil else { return ("demo", "demo", "demo", "Default") }
            throw CommandFailure(message: "\(origin) has no auth.username (disco-cli signs in by user name, not id); "
                                 + "add it, set OS_USERNAME, or give a token with --token / OS_TOKEN")
        }
        guard let project = env("OS_PROJECT_NAME", "OS_TENANT_NAME") ?? cloud?.projectName ?? (cloud?.projectID == nil ? user : nil) else {
            throw CommandFailure(message: "\(origin) gives auth.project_id but no auth.project_name: the service manager signs in "
                                 + "by project name; add auth.project_name or set OS_PROJECT_NAME")
        }
        let domain = env("OS_USER_DOMAIN_NAME", "OS_USER_DOMAIN_ID") ?? cloud?.userDomainName ?? cloud?.userDomainID
            ?? env("OS_PROJECT_DOMAIN_NAME") ?? cloud?.projectDomainName ?? "Default"
        if let password = env("OS_PASSWORD") ?? cloud?.password { return (user, password, project, domain) }
        guard console.isInputTTY, let password = console.askSecret("Password for \(user) (project \(project)): "), !password.isEmpty else {
            if cloud != nil {
                throw CommandFailure(message: "\(origin) has no auth.password (nor has a secure.yaml); set OS_PASSWORD, "
                                     + "add it to secure.yaml, or give a token with --token / OS_TOKEN")
            }
            throw CommandFailure(message: "OS_USERNAME is set but OS_PASSWORD is not; set it, or give a token with --token / OS_TOKEN")
        }
        return (user, password, project, domain)
    }

    /// Signs in with ``credentials()`` through the server.
    func issueToken() async throws -> (TokenView, Data) {
        let (user, password, project, domain) = try credentials()
        return try await anonymousClient().issueToken(username: user, password: password, project: project, domain: domain)
    }

    /// An authenticated client: the given token, or one obtained (once per session) from the credentials.
    func client(refresh: Bool = false) async throws -> DiscoAPIClient {
        var client = try anonymousClient()
        if let token = givenToken {
            client.token = token
        } else if !refresh, let token = cli.tokens.get(serverURL) {
            client.token = token
        } else {
            let token = try await issueToken().0.token
            cli.tokens.set(serverURL, token)
            client.token = token
        }
        return client
    }

    /// Runs `body` with an authenticated client; a token the CLI obtained itself is renewed once on a 401.
    func withClient<T>(_ body: (DiscoAPIClient) async throws -> T) async throws -> T {
        do {
            return try await body(try await client())
        } catch let error as DiscoClientError where error.status == 401 && givenToken == nil {
            return try await body(try await client(refresh: true))
        }
    }

    /// Writes a JSON document (the server's bytes) followed by a newline.
    func emitJSON(_ data: Data) {
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        console.print(text)
    }

    func emitJSON(_ value: some Encodable) throws {
        emitJSON(try DiscoAPIClient.encoder.encode(value))
    }

    /// `Error: …` on stderr, with the server's problems one per line.
    func report(_ error: any Error) {
        switch error {
        case let error as DiscoClientError:
            // The message's first line, then every problem (or, from a plain-text answer, every further line) on its own line.
            let lines = error.description.split(separator: "\n").map(String.init)
            let first = lines.first ?? error.description
            console.printError("Error: " + (first.hasSuffix(":") ? String(first.dropLast()) : first))
            // A single problem may already be the first line's end (`the request is invalid: workers: …`).
            let rest = error.problems.isEmpty ? Array(lines.dropFirst())
                : error.problems.map(\.description).filter { error.problems.count > 1 || !first.hasSuffix($0) }
            for line in rest { console.printError("  - \(line)") }
        case let error as SpecValidationError:
            console.printError("Error: the cluster spec is invalid")
            for problem in error.problems { console.printError("  - \(problem)") }
        case let error as CommandFailure:
            console.printError("Error: " + error.message.replacingOccurrences(of: "\n", with: "\n  "))
            if let hint = error.hint { console.printError(hint) }
        default:
            console.printError("Error: " + String(describing: error).replacingOccurrences(of: "\n", with: "\n  "))
        }
    }

    /// Runs one command.
    func execute(_ command: Command) async throws {
        switch command {
        case let .help(topic): console.print(Help.text(for: topic), terminator: "")
        case .version: console.print("disco-cli \(DiscoVersion.current)")
        case .shell: try await Shell(context: self).run()
        case let .components(offline): try await components(offline: offline)
        case let .plan(plan): try await self.plan(plan)
        case let .create(create):
            if create.spec.isEmpty && console.isInputTTY {
                try await GuidedCreate(context: self, wait: create.wait).run()
            } else {
                try await self.create(create)
            }
        case .list: try await list()
        case .clusterNames: try await clusterNames()
        case let .show(cluster): try await show(cluster)
        case let .watch(options, cluster): try await watch(cluster, options: options)
        case let .scale(options, cluster, workers): try await act("scale", cluster: cluster, workers: workers, options: options)
        case let .suspend(options, cluster): try await act("suspend", cluster: cluster, workers: nil, options: options)
        case let .resume(options, cluster): try await act("resume", cluster: cluster, workers: nil, options: options)
        case let .check(cluster): try await checkHealth(cluster)
        case let .delete(options, cluster, yes): try await delete(cluster, options: options, yes: yes)
        case let .sshKey(cluster, output, force): try await sshKey(cluster, output: output, force: force)
        case let .ssh(ssh): try await self.ssh(ssh)
        case let .events(cluster): try await events(cluster)
        case .token: try await token()
        case .images: try await images()
        case .flavors: try await flavors()
        case .networks: try await networks()
        case let .completion(shell): console.print(CompletionScript.script(for: shell), terminator: "")
        }
    }
}
