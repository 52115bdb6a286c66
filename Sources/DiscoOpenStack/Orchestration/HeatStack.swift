public import DiscoCore
public import Foundation

/// A Heat stack as shown by `GET /stacks/{name}/{id}` (or summarised by the list).
public struct HeatStack: Sendable, Hashable {
    public var reference: StackReference
    public var status: StackStatus
    public var statusReason: String
    /// Output values by key (only when shown, not listed); `null` values and failed outputs are left out.
    public var outputs: [String: JSONValue]
    public var parameters: [String: String]
    public var tags: [String]
    public var creationTime: Date?
    public var updatedTime: Date?

    /// The DiscoCore view: non-string outputs become JSON text.
    public var snapshot: StackSnapshot {
        StackSnapshot(reference: reference, status: status, statusReason: statusReason,
                      outputs: outputs.mapValues { $0.stringValue ?? $0.jsonText }, parameters: parameters, tags: tags,
                      creationTime: creationTime, updatedTime: updatedTime)
    }

    init(json: JSONValue) {
        reference = StackReference(name: json["stack_name"]?.stringValue ?? "", id: json["id"]?.stringValue ?? "")
        status = StackStatus(json["stack_status"]?.stringValue ?? "")
        statusReason = json["stack_status_reason"]?.stringValue ?? ""
        var outputs: [String: JSONValue] = [:]
        for output in json["outputs"]?.arrayValue ?? [] {
            guard let key = output["output_key"]?.stringValue, let value = output["output_value"], !value.isNull,
                  output["output_error"] == nil else { continue }
            outputs[key] = value
        }
        self.outputs = outputs
        parameters = (json["parameters"]?.objectValue ?? [:]).mapValues(\.textValue)
        switch json["tags"] {
        case .array(let items)?: tags = items.compactMap(\.stringValue)
        case .string(let text)?: tags = text.split(separator: ",").map(String.init)
        default: tags = []
        }
        creationTime = OpenStackDate.parse(json["creation_time"]?.stringValue)
        updatedTime = OpenStackDate.parse(json["updated_time"]?.stringValue)
    }
}
