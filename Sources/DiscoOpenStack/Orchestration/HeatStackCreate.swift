public import DiscoCore
import Foundation

/// What is sent to create (or preview) a stack.
public struct HeatStackCreate: Sendable, Hashable {
    public var name: String
    /// The HOT template (sent as a JSON object).
    public var template: JSONValue
    public var parameters: [String: String]
    public var environment: JSONValue?
    public var tags: [String]
    public var timeoutMinutes: Int?
    public var disableRollback: Bool

    public init(name: String, template: JSONValue, parameters: [String: String] = [:], environment: JSONValue? = nil,
                tags: [String] = [], timeoutMinutes: Int? = nil, disableRollback: Bool = true) {
        self.name = name
        self.template = template
        self.parameters = parameters
        self.environment = environment
        self.tags = tags
        self.timeoutMinutes = timeoutMinutes
        self.disableRollback = disableRollback
    }

    /// From DiscoCore's request.
    public init(_ request: StackRequest) throws {
        let template: JSONValue
        do { template = try JSONValue.parse(request.templateJSON) } catch {
            throw CloudError(.badRequest, service: HeatClient.service, message: "the template is not JSON: \(error)")
        }
        self.init(name: request.name, template: template, parameters: request.parameters, tags: request.tags,
                  timeoutMinutes: request.timeoutMinutes, disableRollback: request.disableRollback)
    }

    var body: JSONValue {
        var body: [String: JSONValue] = ["stack_name": .string(name), "template": template,
                                         "parameters": .object(parameters.mapValues(JSONValue.string)),
                                         "disable_rollback": .bool(disableRollback)]
        if !tags.isEmpty { body["tags"] = .string(tags.joined(separator: ",")) }
        if let timeoutMinutes { body["timeout_mins"] = .int(timeoutMinutes) }
        if let environment { body["environment"] = environment }
        return .object(body)
    }
}
