import Testing
@testable import DiscoCore

/// A scale counts the signals the wait condition holds (its data: one member per signal id) to raise what it waits for.
@Suite struct InstallSignalCountTests {
    @Test(arguments: [
        (#"{"base": "base ready", "hadoop": "hadoop ready"}"#, 2),
        (#"{"worker@1": "worker 0 installed", "spark": "{\"nested\": [1, 2]}", "base": null}"#, 3),
        ("{}", 0),
        (" { } ", 0),
        (#"["base"]"#, 0),
        (#"{"base": "ready"} trailing"#, 0),
        ("", 0),
    ])
    func membersOfTheWaitConditionsData(_ text: String, _ count: Int) {
        #expect(ClusterService.memberCount(ofJSONObject: text) == count)
    }
}
