import Foundation

// Reading the store's records with `JSONReader`: the same JSON `JSONEncoder` writes for the `Codable` conformances
// (keys in any order, unknown keys skipped, absent optionals nil). A shape this does not know throws, and the store
// falls back to `JSONDecoder` for that line. `StoredRecordReadingTests` checks both agree on fully populated records.

extension JSONReader {
    /// `value`, or a failure naming the missing key.
    func required<T>(_ value: T?, _ key: String, in type: String) throws(Failure) -> T {
        guard let value else { throw failure("\(type) has no '\(key)'") }
        return value
    }

    /// A string, or nil for `null`.
    mutating func readOptionalString() throws(Failure) -> String? {
        readNull() ? nil : try readString()
    }

    /// An object of strings.
    mutating func readStringDictionary() throws(Failure) -> [String: String] {
        var result: [String: String] = [:]
        try beginObject()
        while let key = try nextKey() { result[key] = try readString() }
        return result
    }

    mutating func readStringArray() throws(Failure) -> [String] {
        var result: [String] = []
        try beginArray()
        while try nextElement() { result.append(try readString()) }
        return result
    }

    mutating func readState() throws(Failure) -> ClusterState {
        let raw = try readString()
        guard let state = ClusterState(rawValue: raw) else { throw failure("unknown state '\(raw)'") }
        return state
    }
}

/// Values of the previous record, by their JSON bytes, so that identical ones are parsed once and shared.
struct StoredRecordMemo {
    var components: (bytes: [UInt8], value: [ResolvedComponent])?
    var uiLinks: (bytes: [UInt8], value: [PlannedUILink])?
    var totals: (bytes: [UInt8], value: ResourceTotals)?
    var specComponents: (bytes: [UInt8], value: [String: [String: String]])?
    var progress: (bytes: [UInt8], value: [String: ComponentProgress])?
}

extension ClusterRecord {
    init(reading r: inout JSONReader, memo: inout StoredRecordMemo) throws(JSONReader.Failure) {
        var id: String?, projectID: String?, projectName: String?, userID: String?, spec: ClusterSpec?
        var components: [ResolvedComponent]?, uiLinks: [PlannedUILink]?, totals: ResourceTotals?, stackName: String?
        var stackID: String?, state: ClusterState?, stateReason: String?, stackStatus: String?, stackStatusReason: String?
        var outputs: [String: String]?, progress: [String: ComponentProgress]?, desiredWorkers: Int?, eventMarker: String?
        var events: [ClusterEvent]?, createdAt: Date?, updatedAt: Date?, expiresAt: Date?, deleteAttempts: Int?
        var isDeleteRequested: Bool?, pendingAction: String?, pendingActionStarted: Bool?, timeline: [PhaseMark]?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "id": id = try r.readString()
            case "projectID": projectID = try r.readString()
            case "projectName": projectName = try r.readString()
            case "userID": userID = try r.readString()
            case "spec": spec = try ClusterSpec(reading: &r, memo: &memo)
            case "components":
                components = try r.readReusing(&memo.components) { (r) throws(JSONReader.Failure) in
                    var list: [ResolvedComponent] = []
                    try r.beginArray()
                    while try r.nextElement() { list.append(try ResolvedComponent(reading: &r)) }
                    return list
                }
            case "uiLinks":
                uiLinks = try r.readReusing(&memo.uiLinks) { (r) throws(JSONReader.Failure) in
                    var list: [PlannedUILink] = []
                    try r.beginArray()
                    while try r.nextElement() { list.append(try PlannedUILink(reading: &r)) }
                    return list
                }
            case "totals": totals = try r.readReusing(&memo.totals) { (r) throws(JSONReader.Failure) in try ResourceTotals(reading: &r) }
            case "stackName": stackName = try r.readString()
            case "stackID": stackID = try r.readOptionalString()
            case "state": state = try r.readState()
            case "stateReason": stateReason = try r.readString()
            case "stackStatus": stackStatus = try r.readString()
            case "stackStatusReason": stackStatusReason = try r.readString()
            case "outputs": outputs = try r.readStringDictionary()
            case "progress":
                progress = try r.readReusing(&memo.progress) { (r) throws(JSONReader.Failure) in
                    var map: [String: ComponentProgress] = [:]
                    try r.beginObject()
                    while let name = try r.nextKey() { map[name] = try ComponentProgress(reading: &r) }
                    return map
                }
            case "desiredWorkers": desiredWorkers = r.readNull() ? nil : try r.readInt()
            case "eventMarker": eventMarker = try r.readOptionalString()
            case "events":
                var list: [ClusterEvent] = []
                try r.beginArray()
                while try r.nextElement() { list.append(try ClusterEvent(reading: &r)) }
                events = list
            case "createdAt": createdAt = try r.readDate()
            case "updatedAt": updatedAt = try r.readDate()
            case "expiresAt": expiresAt = r.readNull() ? nil : try r.readDate()
            case "deleteAttempts": deleteAttempts = try r.readInt()
            case "isDeleteRequested": isDeleteRequested = try r.readBool()
            case "pendingAction": pendingAction = try r.readOptionalString()
            case "pendingActionStarted": pendingActionStarted = try r.readBool()
            case "timeline":
                if r.readNull() { break }
                var marks: [PhaseMark] = []
                try r.beginArray()
                while try r.nextElement() { marks.append(try PhaseMark(reading: &r)) }
                timeline = marks
            default: try r.skipValue()
            }
        }
        let type = "ClusterRecord"
        self.id = try r.required(id, "id", in: type)
        self.projectID = try r.required(projectID, "projectID", in: type)
        self.projectName = try r.required(projectName, "projectName", in: type)
        self.userID = try r.required(userID, "userID", in: type)
        self.spec = try r.required(spec, "spec", in: type)
        self.components = try r.required(components, "components", in: type)
        self.uiLinks = try r.required(uiLinks, "uiLinks", in: type)
        self.totals = try r.required(totals, "totals", in: type)
        self.stackName = try r.required(stackName, "stackName", in: type)
        self.stackID = stackID
        self.state = try r.required(state, "state", in: type)
        self.stateReason = try r.required(stateReason, "stateReason", in: type)
        self.stackStatus = try r.required(stackStatus, "stackStatus", in: type)
        self.stackStatusReason = try r.required(stackStatusReason, "stackStatusReason", in: type)
        self.outputs = try r.required(outputs, "outputs", in: type)
        self.progress = try r.required(progress, "progress", in: type)
        self.desiredWorkers = desiredWorkers
        self.eventMarker = eventMarker
        self.events = try r.required(events, "events", in: type)
        self.createdAt = try r.required(createdAt, "createdAt", in: type)
        self.updatedAt = try r.required(updatedAt, "updatedAt", in: type)
        self.expiresAt = expiresAt
        self.deleteAttempts = try r.required(deleteAttempts, "deleteAttempts", in: type)
        self.isDeleteRequested = try r.required(isDeleteRequested, "isDeleteRequested", in: type)
        self.pendingAction = pendingAction
        self.pendingActionStarted = try r.required(pendingActionStarted, "pendingActionStarted", in: type)
        self.timeline = timeline
    }
}

extension ClusterSpec {
    /// As ``init(from:)``: `worker` defaults to `master`, `components` and `tags` to empty.
    init(reading r: inout JSONReader, memo: inout StoredRecordMemo) throws(JSONReader.Failure) {
        var name: String?, master: NodeSpec?, worker: NodeSpec?, workers: Int?, network: String?
        var externalNetwork: String?, components: [String: [String: String]]?, ttlSeconds: Int?, tags: [String]?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "name": name = try r.readString()
            case "master": master = try NodeSpec(reading: &r)
            case "worker": worker = r.readNull() ? nil : try NodeSpec(reading: &r)
            case "workers": workers = try r.readInt()
            case "network": network = try r.readOptionalString()
            case "externalNetwork": externalNetwork = try r.readString()
            case "components":
                if r.readNull() { break }
                components = try r.readReusing(&memo.specComponents) { (r) throws(JSONReader.Failure) in
                    var map: [String: [String: String]] = [:]
                    try r.beginObject()
                    while let component = try r.nextKey() { map[component] = try r.readStringDictionary() }
                    return map
                }
            case "ttlSeconds": ttlSeconds = r.readNull() ? nil : try r.readInt()
            case "tags": tags = r.readNull() ? nil : try r.readStringArray()
            default: try r.skipValue()
            }
        }
        let masterNode = try r.required(master, "master", in: "ClusterSpec")
        self.init(name: try r.required(name, "name", in: "ClusterSpec"), master: masterNode, worker: worker ?? masterNode,
                  workers: try r.required(workers, "workers", in: "ClusterSpec"), network: network,
                  externalNetwork: try r.required(externalNetwork, "externalNetwork", in: "ClusterSpec"),
                  components: components ?? [:], ttlSeconds: ttlSeconds, tags: tags ?? [])
    }
}

extension NodeSpec {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var image: String?, flavor: String?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "image": image = try r.readString()
            case "flavor": flavor = try r.readString()
            default: try r.skipValue()
            }
        }
        self.init(image: try r.required(image, "image", in: "NodeSpec"), flavor: try r.required(flavor, "flavor", in: "NodeSpec"))
    }
}

extension ResolvedComponent {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var name: String?, version: String?, reason: Reason?, properties: [String: String]?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "name": name = try r.readString()
            case "version": version = try r.readString()
            case "reason": reason = try Reason(reading: &r)
            case "properties": properties = try r.readStringDictionary()
            default: try r.skipValue()
            }
        }
        let type = "ResolvedComponent"
        self.init(name: try r.required(name, "name", in: type), version: try r.required(version, "version", in: type),
                  reason: try r.required(reason, "reason", in: type),
                  properties: try r.required(properties, "properties", in: type))
    }
}

extension ResolvedComponent.Reason {
    /// The synthesized enum form: `{"requested":{}}`, `{"implicit":{}}`, `{"requiredBy":{"_0":[…]}}`.
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        try r.beginObject()
        guard let tag = try r.nextKey() else { throw r.failure("empty reason") }
        var names: [String]?
        try r.beginObject()
        while let key = try r.nextKey() {
            if key == "_0" { names = try r.readStringArray() } else { try r.skipValue() }
        }
        guard try r.nextKey() == nil else { throw r.failure("a reason has one case") }
        switch tag {
        case "requested": self = .requested
        case "implicit": self = .implicit
        case "requiredBy": self = .requiredBy(try r.required(names, "_0", in: "requiredBy"))
        default: throw r.failure("unknown reason '\(tag)'")
        }
    }
}

extension PlannedUILink {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var component: String?, name: String?, port: Int?, path: String?, scheme: String?, isPublic: Bool?, outputKey: String?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "component": component = try r.readString()
            case "name": name = try r.readString()
            case "port": port = try r.readInt()
            case "path": path = try r.readString()
            case "scheme": scheme = try r.readString()
            case "isPublic": isPublic = try r.readBool()
            case "outputKey": outputKey = try r.readString()
            default: try r.skipValue()
            }
        }
        let type = "PlannedUILink"
        self.init(component: try r.required(component, "component", in: type), name: try r.required(name, "name", in: type),
                  port: try r.required(port, "port", in: type), path: try r.required(path, "path", in: type),
                  scheme: try r.required(scheme, "scheme", in: type), isPublic: try r.required(isPublic, "isPublic", in: type),
                  outputKey: try r.required(outputKey, "outputKey", in: type))
    }
}

extension ResourceTotals {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var values: [String: Int] = [:]
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "instances", "vcpus", "ramMB", "diskGB", "floatingIPs", "networks", "routers", "securityGroups":
                values[key] = try r.readInt()
            default: try r.skipValue()
            }
        }
        let type = "ResourceTotals"
        self.init(instances: try r.required(values["instances"], "instances", in: type),
                  vcpus: try r.required(values["vcpus"], "vcpus", in: type),
                  ramMB: try r.required(values["ramMB"], "ramMB", in: type),
                  diskGB: try r.required(values["diskGB"], "diskGB", in: type),
                  floatingIPs: try r.required(values["floatingIPs"], "floatingIPs", in: type),
                  networks: try r.required(values["networks"], "networks", in: type),
                  routers: try r.required(values["routers"], "routers", in: type),
                  securityGroups: try r.required(values["securityGroups"], "securityGroups", in: type))
    }
}

extension ComponentProgress {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var state: State?, detail: String?, updatedAt: Date?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "state":
                let raw = try r.readString()
                guard let known = State(rawValue: raw) else { throw r.failure("unknown progress state '\(raw)'") }
                state = known
            case "detail": detail = try r.readString()
            case "updatedAt": updatedAt = r.readNull() ? nil : try r.readDate()
            default: try r.skipValue()
            }
        }
        self.init(state: try r.required(state, "state", in: "ComponentProgress"),
                  detail: try r.required(detail, "detail", in: "ComponentProgress"), updatedAt: updatedAt)
    }
}

extension ClusterEvent {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var time: Date?, state: ClusterState?, message: String?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "time": time = try r.readDate()
            case "state": state = try r.readState()
            case "message": message = try r.readString()
            default: try r.skipValue()
            }
        }
        self.init(time: try r.required(time, "time", in: "ClusterEvent"), state: try r.required(state, "state", in: "ClusterEvent"),
                  message: try r.required(message, "message", in: "ClusterEvent"))
    }
}

extension PhaseMark {
    init(reading r: inout JSONReader) throws(JSONReader.Failure) {
        var phase: CreatePhase?, component: String?, milliseconds: Int?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "phase":
                let raw = try r.readString()
                guard let known = CreatePhase(rawValue: raw) else { throw r.failure("unknown phase '\(raw)'") }
                phase = known
            case "component": component = try r.readOptionalString()
            case "milliseconds": milliseconds = try r.readInt()
            default: try r.skipValue()
            }
        }
        self.init(phase: try r.required(phase, "phase", in: "PhaseMark"), component: component,
                  milliseconds: try r.required(milliseconds, "milliseconds", in: "PhaseMark"))
    }
}

extension FileJournalStore.Entry {
    init(reading r: inout JSONReader, memo: inout StoredRecordMemo) throws(JSONReader.Failure) {
        var op: String?, id: String?, record: ClusterRecord?
        try r.beginObject()
        while let key = try r.nextKey() {
            switch key {
            case "op": op = try r.readString()
            case "id": id = try r.readString()
            case "record": record = r.readNull() ? nil : try ClusterRecord(reading: &r, memo: &memo)
            default: try r.skipValue()
            }
        }
        self.init(op: try r.required(op, "op", in: "entry"), id: try r.required(id, "id", in: "entry"), record: record)
    }
}
