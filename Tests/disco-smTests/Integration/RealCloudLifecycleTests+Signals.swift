import DiscoCore
import DiscoRuntime
import DiscoOpenStack
import Foundation
import Testing

extension RealCloudLifecycleTests {
    /// Real Heat takes the install script's signal with a token the script mints when it signals, from the
    /// credentials of the composed `install_handle` (`HEAT_SIGNAL`). With Heat's default (`TOKEN_SIGNAL`) the
    /// handle holds one token minted when it was made, which Keystone refuses an hour later (its default lifetime)
    /// while DISCO's installs may take longer: its `signal` attribute is `null` and there is nothing to mint from.
    @Test(.timeLimit(.minutes(5))) func scriptSignalsRealHeatWithATokenItMints() async throws {
        let api = try await RealAPI.login()
        let spec = ClusterSpec(name: "signals", master: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"),
                               worker: NodeSpec(image: "ubuntu-22.04", flavor: "m1.large"), workers: 0,
                               externalNetwork: "public", components: [:])
        let key = SSHKeyPair(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISignalTestKey disco", privateKey: "")
        let inventory = CloudInventory(images: [Image(id: "i", name: "ubuntu-22.04")],
                                       flavors: [Flavor(id: "f", name: "m1.large", vcpus: 4, ramMB: 8192, diskGB: 80)],
                                       networks: [Network(id: "n", name: "public", isExternal: true)])
        let plan = try Planner(catalog: .builtIn()).plan(spec, inventory: inventory, context: PlanContext(
            clusterID: UUID().uuidString.lowercased(), keys: ClusterKeys(user: key), secretSalt: "s"))
        // The composed handle, and a wait condition for one signal (no servers: the fake driver runs no script).
        let composed = try JSONValue.parse(Data(plan.template.json(pretty: false).utf8))
        // Alone here: what it waits for in the cluster's template (the network, which starts the stack) is not.
        guard case .object(var handle) = try #require(composed["resources"]?["install_handle"]) else {
            Issue.record("install_handle is not an object")
            return
        }
        handle["depends_on"] = nil
        let template: JSONValue = ["heat_template_version": "2018-08-31", "resources": [
            "install_handle": .object(handle),
            "install_wait": ["type": "OS::Heat::WaitCondition",
                             "properties": ["handle": ["get_resource": "install_handle"], "count": 1, "timeout": 600]],
        ]]
        let name = "disco-it-signal-\(UUID().uuidString.prefix(8).lowercased())"
        let (created, body) = try await api.call("POST", "orchestration", "/stacks", body: [
            "stack_name": .string(name), "template": template, "timeout_mins": 10, "disable_rollback": true])
        #expect(created == 201, "\(body.jsonText.prefix(500))")
        let id = try #require(body["stack"]?["id"]?.stringValue)
        defer { Task { _ = try? await api.call("DELETE", "orchestration", "/stacks/\(name)/\(id)") } }

        var wait = ""
        for _ in 0..<120 where wait != "CREATE_IN_PROGRESS" {
            try await Task.sleep(nanoseconds: 500_000_000)
            let (status, json) = try await api.call("GET", "orchestration", "/stacks/\(name)/\(id)/resources/install_wait")
            wait = status == 200 ? json["resource"]?["resource_status"]?.stringValue ?? "" : ""
        }
        #expect(wait == "CREATE_IN_PROGRESS")
        let attributes = try await api.get("orchestration", "/stacks/\(name)/\(id)/resources/install_handle")["resource"]?["attributes"]
        let signal = try #require(attributes?["signal"]?.stringValue)
        let credentials = try JSONValue.parse(Data(signal.utf8))
        let password = try #require(credentials["password"]?.stringValue, "no credentials to mint a token with: \(signal.prefix(200))")
        #expect(credentials["token"] == nil && attributes?["token"]?.stringValue == nil, "a token was minted with the handle")

        let run = try await InstallScript.run(signal: signal, #"disco_signal SUCCESS base "base ready" "signalled with a token minted now""#)
        #expect(run.termination == .exited(0) && !run.output.contains("not delivered"), "\(run.output)")
        #expect(!run.output.contains(password))
        var status = ""
        for _ in 0..<120 where status != "CREATE_COMPLETE" && status != "CREATE_FAILED" {
            try await Task.sleep(nanoseconds: 500_000_000)
            status = try await api.get("orchestration", "/stacks/\(name)/\(id)")["stack"]?["stack_status"]?.stringValue ?? ""
        }
        #expect(status == "CREATE_COMPLETE")
    }
}
