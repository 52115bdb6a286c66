import DiscoCore
import Foundation
import Testing
@testable import DiscoOpenStack

/// `clouds.yaml` / `secure.yaml`: found, merged and read as openstacksdk does.
@Suite struct CloudsConfigurationTests {
    /// Three directories standing for the current one, ~/.config/openstack and /etc/openstack.
    struct Directories {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clouds-\(UUID().uuidString)")
        var all: [String] { ["cwd", "user", "site"].map { root.appendingPathComponent($0).path } }

        init() throws {
            for path in all { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        }

        @discardableResult
        func write(_ directory: Int, _ name: String, _ text: String) throws -> String {
            let path = all[directory] + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func load(_ environment: [String: String] = [:]) throws(CloudConfigError) -> CloudsConfiguration {
            try CloudsConfiguration.load(environment: environment, directories: all)
        }
    }

    static func cloudsFile(_ name: String, user: String) -> String {
        "clouds:\n  \(name):\n    auth:\n      username: \(user)\n      project_name: p\n"
    }

    @Test func theSearchPathIsOpenstacksdks() {
        #expect(CloudsConfiguration.searchDirectories(environment: ["HOME": "/h"], currentDirectory: "/w")
                == ["/w", "/h/.config/openstack", "/etc/xdg/openstack", "/etc/openstack"])
        #expect(CloudsConfiguration.searchDirectories(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x/", "XDG_CONFIG_DIRS": "/a:/b"],
                                                      currentDirectory: "/w")
                == ["/w", "/x/openstack", "/h/.config/openstack", "/etc/openstack"])
        #expect(CloudsConfiguration.searchDirectories(environment: ["HOME": "/h", "XDG_CONFIG_DIRS": "/a", "SNAP_REAL_HOME": "/r"],
                                                      currentDirectory: "/w")
                == ["/w", "/h/.config/openstack", "/r/.config/openstack", "/a/openstack", "/etc/openstack"])
    }

    @Test func theFirstFileFoundWins() throws {
        let dirs = try Directories()
        try dirs.write(2, "clouds.yaml", Self.cloudsFile("c", user: "site"))
        #expect(try dirs.load().cloud(named: "c").username == "site")
        try dirs.write(1, "clouds.yaml", Self.cloudsFile("c", user: "user"))
        #expect(try dirs.load().cloud(named: "c").username == "user")
        // clouds.yml and clouds.json of an earlier directory come before a later directory's clouds.yaml.
        try dirs.write(0, "clouds.json", #"{"clouds": {"c": {"auth": {"username": "cwd-json"}}}}"#)
        #expect(try dirs.load().cloud(named: "c").username == "cwd-json")
        try dirs.write(0, "clouds.yml", Self.cloudsFile("c", user: "cwd-yml"))
        #expect(try dirs.load().cloud(named: "c").username == "cwd-yml")
        // OS_CLIENT_CONFIG_FILE goes first; one that does not exist is passed over.
        let given = try dirs.write(2, "elsewhere.yaml", Self.cloudsFile("c", user: "given"))
        #expect(try dirs.load(["OS_CLIENT_CONFIG_FILE": given]).cloud(named: "c").username == "given")
        #expect(try dirs.load(["OS_CLIENT_CONFIG_FILE": given + ".missing"]).cloud(named: "c").username == "cwd-yml")
        #expect(try dirs.load().file == dirs.all[0] + "/clouds.yml")
    }

    @Test func secureYAMLIsMergedIntoEachCloud() throws {
        let dirs = try Directories()
        try dirs.write(2, "clouds.yaml", """
            clouds:
              lab:
                auth: {auth_url: "https://k.example:5000/v3", username: alice, password: old, project_name: p}
                region_name: R1
              other: {auth: {username: bob}}
            """)
        try dirs.write(0, "secure.yaml", "clouds:\n  lab:\n    auth:\n      password: 's3cret'\n  third:\n    auth: {username: carol}\n")
        let config = try dirs.load()
        #expect(config.secureFile == dirs.all[0] + "/secure.yaml")
        let lab = try config.cloud(named: "lab")
        #expect((lab.username, lab.password, lab.projectName, lab.authURL, lab.regionName) == ("alice", "s3cret", "p", "https://k.example:5000/v3", "R1"))
        #expect(config.cloudNames == ["lab", "other", "third"])
        #expect(try config.cloud(named: "third").username == "carol")
        #expect(!lab.description.contains("s3cret") && !"\(lab)".contains("s3cret"))
        // OS_CLIENT_SECURE_FILE goes first; a wrongly shaped value there is named in that file.
        let given = try dirs.write(1, "my-secure.yaml", "clouds:\n  lab:\n    auth:\n      password: [a, b]\n")
        #expect(throws: CloudConfigError("\(given):4: clouds.lab.auth.password: is a list; expected a text value")) {
            try dirs.load(["OS_CLIENT_SECURE_FILE": given]).cloud(named: "lab")
        }
    }

    @Test func theAuthSettingsDiscoCLIUses() throws {
        let dirs = try Directories()
        try dirs.write(0, "clouds.yaml", """
            clouds:
              full:
                auth_type: v3password
                auth:
                  auth-url: http://k:5000/v3
                  username: u
                  password: "p w"
                  project_id: 0a1b
                  tenant_name: 42
                  user_domain_name: Users
                  user_domain_id: d1
                  project_domain_name: Projects
                region_name: ~
              bare:
            """)
        let full = try dirs.load().cloud(named: "full")
        #expect(full.authURL == "http://k:5000/v3" && full.password == "p w" && full.projectID == "0a1b" && full.projectName == "42")
        #expect((full.userDomainName, full.userDomainID, full.projectDomainName, full.authType) == ("Users", "d1", "Projects", "v3password"))
        #expect(full.regionName == nil)
        let bare = try dirs.load().cloud(named: "bare")
        #expect(bare.username == nil && bare.file == dirs.all[0] + "/clouds.yaml")
    }

    @Test func otherAuthTypesAreRefusedNamingTheCloudAndType() throws {
        let dirs = try Directories()
        let file = try dirs.write(0, "clouds.yaml", "clouds:\n  appcred:\n    auth_type: v3applicationcredential\n    auth: {}\n")
        #expect(throws: CloudConfigError("\(file):3: clouds.appcred.auth_type: cloud 'appcred' uses auth_type 'v3applicationcredential', "
                                         + "which disco-cli does not support: it signs in through the service manager with a user name "
                                         + "and password (auth_type password or v3password); give a token with --token or OS_TOKEN instead")) {
            try dirs.load().cloud(named: "appcred")
        }
    }

    @Test func aMissingCloudListsTheCloudsFound() throws {
        let dirs = try Directories()
        #expect(throws: CloudConfigError("no clouds.yaml was found to read cloud 'lab' from; looked for "
                                         + dirs.all.map { $0 + "/clouds.yaml" }.joined(separator: ", "))) {
            try dirs.load().cloud(named: "lab")
        }
        let file = try dirs.write(1, "clouds.yaml", "clouds:\n  devstack: {}\n  devstack-admin: {}\n")
        #expect(throws: CloudConfigError("\(file): no cloud named 'lab'; the clouds found: 'devstack', 'devstack-admin'")) {
            try dirs.load().cloud(named: "lab")
        }
        try dirs.write(1, "clouds.yaml", "# nothing yet\n")
        #expect(throws: CloudConfigError("\(file): no cloud named 'lab'; it names no clouds under 'clouds:'")) {
            try dirs.load().cloud(named: "lab")
        }
    }

    @Test func filesThatDoNotReadAreErrorsNamingFileLineAndKeyNeverTheValue() throws {
        let dirs = try Directories()
        let file = try dirs.write(0, "clouds.yaml", "clouds:\n  lab:\n    auth:\n      password: \"hunter2\n")
        #expect(throws: CloudConfigError("\(file):4:17: clouds.lab.auth.password: the double-quoted value does not end on its line "
                                         + "(multi-line values are not supported)")) {
            try dirs.load()
        }
        try dirs.write(0, "clouds.yaml", "- just\n- a list\n")
        #expect(throws: CloudConfigError("\(file):1: is a list, not a mapping with a 'clouds:' key")) { try dirs.load() }
        try dirs.write(0, "clouds.yaml", "clouds:\n  lab: hunter2\n")
        #expect(throws: CloudConfigError("\(file):2: clouds.lab: is a text value; expected the cloud's settings")) {
            try dirs.load().cloud(named: "lab")
        }
        try dirs.write(0, "clouds.yaml", "clouds: [lab]\n")
        #expect(throws: CloudConfigError("\(file):1: clouds: is a list; expected a mapping of cloud names to their settings")) {
            try dirs.load().cloud(named: "lab")
        }
    }

    /// The README's example reads as it says.
    @Test func theReadmeExample() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Credentials").dropFirst().first)
        let example = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let dirs = try Directories()
        try dirs.write(1, "clouds.yaml", example)
        try dirs.write(1, "secure.yaml", "clouds:\n  lab:\n    auth:\n      password: \"…\"\n")
        let lab = try dirs.load().cloud(named: "lab")
        #expect((lab.username, lab.projectName, lab.userDomainName, lab.password) == ("alice", "analytics", "Default", "…"))
    }
}
