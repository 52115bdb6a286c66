import Foundation
import Testing
@testable import disco_cli

/// `--os-cloud` / `OS_CLOUD`: signing in with a cloud of clouds.yaml and secure.yaml, against a real disco-sm with the
/// simulated cloud (user demo, password demo, project demo).
@Suite(.timeLimit(.minutes(2))) struct CloudsYAMLTests {
    /// A directory standing for the whole search path, with a clouds.yaml and a secure.yaml.
    static func directory(clouds: String, secure: String? = nil) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("disco-cli-clouds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try clouds.write(to: folder.appendingPathComponent("clouds.yaml"), atomically: true, encoding: .utf8)
        try secure?.write(to: folder.appendingPathComponent("secure.yaml"), atomically: true, encoding: .utf8)
        return folder.path
    }

    static let clouds = """
        clouds:
          lab:
            auth:
              auth_url: http://127.0.0.1:5000/v3
              username: demo
              project_name: demo
              user_domain_name: Default
            region_name: RegionOne
          wrong:
            auth: {username: demo, password: not-the-password, project_name: demo}
          appcred:
            auth_type: v3applicationcredential
            auth: {application_credential_id: x}
        """

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theNamedCloudSignsInWithThePasswordFromSecureYAML() async throws {
        let dir = try Self.directory(clouds: Self.clouds, secure: "clouds:\n  lab:\n    auth:\n      password: demo\n")
        let viaEnvironment = try await runCLI(["token", "--json"], environment: ["OS_CLOUD": "lab"], cloudDirectories: [dir])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        #expect(try json(viaEnvironment.stdout)["user"] as? String == "demo")
        #expect(try json(viaEnvironment.stdout)["project"] as? String == "demo")
        let viaOption = try await runCLI(["--os-cloud", "lab", "list"], cloudDirectories: [dir])
        #expect(viaOption.status == 0, "\(viaOption.stderr)")
        // OS_CLIENT_CONFIG_FILE / OS_CLIENT_SECURE_FILE are looked at first.
        let elsewhere = try Self.directory(clouds: "clouds:\n  lab:\n    auth: {username: demo, password: demo}\n")
        let given = try await runCLI(["token"], environment: ["OS_CLOUD": "lab", "OS_CLIENT_CONFIG_FILE": elsewhere + "/clouds.yaml"],
                                     cloudDirectories: ["/nonexistent"])
        #expect(given.status == 0, "\(given.stderr)")
    }

    /// Command-line options, then OS_* variables, then the cloud's entry.
    @Test func optionsBeatVariablesWhichBeatTheCloud() async throws {
        let dir = try Self.directory(clouds: Self.clouds)
        // The cloud's password is wrong; OS_PASSWORD wins.
        let wrong = try await runCLI(["token"], environment: ["OS_CLOUD": "wrong"], cloudDirectories: [dir])
        #expect(wrong.status == 1 && wrong.stderr.hasPrefix("Error: the user name, password or project is wrong"))
        let fixed = try await runCLI(["token"], environment: ["OS_CLOUD": "wrong", "OS_PASSWORD": "demo"], cloudDirectories: [dir])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        // --os-cloud wins over OS_CLOUD.
        let chosen = try await runCLI(["--os-cloud", "wrong", "token"], environment: ["OS_CLOUD": "missing", "OS_PASSWORD": "demo"],
                                      cloudDirectories: [dir])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        // A token needs no credentials: the cloud is not even read.
        let token = try await runCLI(["--token", "tok-1", "token"], environment: ["OS_CLOUD": "missing"], cloudDirectories: [dir])
        #expect(token.stdout == "tok-1\n")
        // Without a cloud named, OS_* variables alone work as before and no file is read.
        let plain = try await runCLI(["token", "--json"], environment: ["OS_USERNAME": "demo", "OS_PASSWORD": "demo"],
                                     cloudDirectories: ["/nonexistent"])
        #expect(try json(plain.stdout)["user"] as? String == "demo")
    }

    @Test func clearErrorsWithoutThePassword() async throws {
        let dir = try Self.directory(clouds: Self.clouds)
        let missing = try await runCLI(["token"], environment: ["OS_CLOUD": "nope"], cloudDirectories: [dir])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error: \(dir)/clouds.yaml: no cloud named 'nope'; the clouds found: 'lab', 'wrong', 'appcred'\n")
        let appcred = try await runCLI(["token"], environment: ["OS_CLOUD": "appcred"], cloudDirectories: [dir])
        #expect(appcred.stderr.hasPrefix("Error: \(dir)/clouds.yaml:12: clouds.appcred.auth_type: cloud 'appcred' uses auth_type "
                                         + "'v3applicationcredential', which disco-cli does not support"))
        let noPassword = try await runCLI(["token"], environment: ["OS_CLOUD": "lab"], cloudDirectories: [dir])
        #expect(noPassword.stderr == "Error: cloud 'lab' of \(dir)/clouds.yaml has no auth.password (nor has a secure.yaml); set "
                + "OS_PASSWORD, add it to secure.yaml, or give a token with --token / OS_TOKEN\n")
        let broken = try Self.directory(clouds: "clouds:\n  lab:\n    auth:\n      password: 'hunter2\n")
        let unreadable = try await runCLI(["token"], environment: ["OS_CLOUD": "lab"], cloudDirectories: [broken])
        #expect(unreadable.stderr == "Error: \(broken)/clouds.yaml:4:17: clouds.lab.auth.password: the single-quoted value does not "
                + "end on its line (multi-line values are not supported)\n")
        #expect(!unreadable.stderr.contains("hunter2"))
    }

    @Test func theOptionIsParsed() throws {
        #expect(try CommandParser.parse(["--os-cloud", "lab", "list"]).global.osCloud == "lab")
        #expect(try CommandParser.parse(["list", "--os-cloud=lab"]).global.osCloud == "lab")
        #expect(throws: UsageError.self) { try CommandParser.parse(["list", "--os-cloud"]) }
    }

    /// The built binary finds clouds.yaml in its current directory, before ~/.config/openstack.
    @Test func theBinaryLooksInItsCurrentDirectoryFirst() throws {
        let cwd = try Self.directory(clouds: "clouds:\n  here: {}\n")
        let home = try Self.directory(clouds: "unused: true\n")
        try FileManager.default.createDirectory(atPath: home + "/.config/openstack", withIntermediateDirectories: true)
        try "clouds:\n  home: {}\n".write(toFile: home + "/.config/openstack/clouds.yaml", atomically: true, encoding: .utf8)
        let run = try runBinary(["--os-cloud", "nope", "token"], environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/.config"], directory: URL(fileURLWithPath: cwd))
        #expect(run.status == 1)
        #expect(run.stderr == "Error: \(cwd)/clouds.yaml: no cloud named 'nope'; the clouds found: 'here'\n")
        try FileManager.default.removeItem(atPath: cwd + "/clouds.yaml")
        let fromHome = try runBinary(["--os-cloud", "nope", "token"], environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/.config"], directory: URL(fileURLWithPath: cwd))
        #expect(fromHome.stderr == "Error: \(home)/.config/openstack/clouds.yaml: no cloud named 'nope'; the clouds found: 'home'\n")
    }
}
