import Foundation

// Writing the store's records with `JSONWriter`: byte for byte what `JSONEncoder` (sorted keys, no escaped slashes,
// ISO 8601 dates) writes for the `Codable` conformances, nil optionals left out. `StoredRecordWritingTests` compares
// the two on fully populated records, so a field added to a record and not here fails a test.

extension FileJournalStore.Entry {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("op"); w.string(op)
        if let record { w.key("record"); record.write(to: &w) }
        w.endObject()
    }
}

extension ClusterRecord {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("components")
        w.beginArray()
        for component in components { component.write(to: &w) }
        w.endArray()
        w.key("createdAt"); w.date(createdAt)
        w.key("deleteAttempts"); w.int(deleteAttempts)
        if let desiredWorkers { w.key("desiredWorkers"); w.int(desiredWorkers) }
        if let eventMarker { w.key("eventMarker"); w.string(eventMarker) }
        w.key("events")
        w.beginArray()
        for event in events { event.write(to: &w) }
        w.endArray()
        if let expiresAt { w.key("expiresAt"); w.date(expiresAt) }
        w.key("id"); w.string(id)
        w.key("isDeleteRequested"); w.bool(isDeleteRequested)
        w.key("outputs"); w.stringDictionary(outputs)
        if let pendingAction { w.key("pendingAction"); w.string(pendingAction) }
        w.key("pendingActionStarted"); w.bool(pendingActionStarted)
        w.key("progress")
        w.beginObject()
        for (name, progress) in progress.sorted(by: { $0.key < $1.key }) {
            w.key(name)
            progress.write(to: &w)
        }
        w.endObject()
        w.key("projectID"); w.string(projectID)
        w.key("projectName"); w.string(projectName)
        w.key("spec"); spec.write(to: &w)
        if let stackID { w.key("stackID"); w.string(stackID) }
        w.key("stackName"); w.string(stackName)
        w.key("stackStatus"); w.string(stackStatus)
        w.key("stackStatusReason"); w.string(stackStatusReason)
        w.key("state"); w.string(state.rawValue)
        w.key("stateReason"); w.string(stateReason)
        if let timeline {
            w.key("timeline")
            w.beginArray()
            for mark in timeline { mark.write(to: &w) }
            w.endArray()
        }
        w.key("totals"); totals.write(to: &w)
        w.key("uiLinks")
        w.beginArray()
        for link in uiLinks { link.write(to: &w) }
        w.endArray()
        w.key("updatedAt"); w.date(updatedAt)
        w.key("userID"); w.string(userID)
        w.endObject()
    }
}

extension ClusterSpec {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("components")
        w.beginObject()
        for (name, properties) in components.sorted(by: { $0.key < $1.key }) {
            w.key(name)
            w.stringDictionary(properties)
        }
        w.endObject()
        w.key("externalNetwork"); w.string(externalNetwork)
        w.key("master"); master.write(to: &w)
        w.key("name"); w.string(name)
        if let network { w.key("network"); w.string(network) }
        w.key("tags"); w.stringArray(tags)
        if let ttlSeconds { w.key("ttlSeconds"); w.int(ttlSeconds) }
        w.key("worker"); worker.write(to: &w)
        w.key("workers"); w.int(workers)
        w.endObject()
    }
}

extension NodeSpec {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("flavor"); w.string(flavor)
        w.key("image"); w.string(image)
        w.endObject()
    }
}

extension ResolvedComponent {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("name"); w.string(name)
        w.key("properties"); w.stringDictionary(properties)
        w.key("reason")
        w.beginObject()
        switch reason {
        case .requested:
            w.key("requested"); w.beginObject(); w.endObject()
        case .implicit:
            w.key("implicit"); w.beginObject(); w.endObject()
        case let .requiredBy(names):
            w.key("requiredBy")
            w.beginObject()
            w.key("_0"); w.stringArray(names)
            w.endObject()
        }
        w.endObject()
        w.key("version"); w.string(version)
        w.endObject()
    }
}

extension PlannedUILink {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("component"); w.string(component)
        w.key("isPublic"); w.bool(isPublic)
        w.key("name"); w.string(name)
        w.key("outputKey"); w.string(outputKey)
        w.key("path"); w.string(path)
        w.key("port"); w.int(port)
        w.key("scheme"); w.string(scheme)
        w.endObject()
    }
}

extension ResourceTotals {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("diskGB"); w.int(diskGB)
        w.key("floatingIPs"); w.int(floatingIPs)
        w.key("instances"); w.int(instances)
        w.key("networks"); w.int(networks)
        w.key("ramMB"); w.int(ramMB)
        w.key("routers"); w.int(routers)
        w.key("securityGroups"); w.int(securityGroups)
        w.key("vcpus"); w.int(vcpus)
        w.endObject()
    }
}

extension ComponentProgress {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("detail"); w.string(detail)
        w.key("state"); w.string(state.rawValue)
        if let updatedAt { w.key("updatedAt"); w.date(updatedAt) }
        w.endObject()
    }
}

extension ClusterEvent {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("message"); w.string(message)
        w.key("state"); w.string(state.rawValue)
        w.key("time"); w.date(time)
        w.endObject()
    }
}

extension PhaseMark {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        if let component { w.key("component"); w.string(component) }
        w.key("milliseconds"); w.int(milliseconds)
        w.key("phase"); w.string(phase.rawValue)
        w.endObject()
    }
}
