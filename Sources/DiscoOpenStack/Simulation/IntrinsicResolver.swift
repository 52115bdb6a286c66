import Foundation

/// Resolves HOT intrinsic functions against a context. Generic: no resource or parameter names are known here.
struct IntrinsicResolver {
    /// The typed value of a parameter (pseudo parameters included).
    var parameter: (String) -> JSONValue?
    /// The reference (physical id) of a resource, `nil` when unknown or not created.
    var reference: (String) -> JSONValue?
    /// An attribute path of a resource: name, then attribute and path items; `nil` when unavailable.
    var attribute: (String, [JSONValue]) -> JSONValue?

    static let functions: Set<String> = ["get_param", "get_resource", "get_attr", "list_join", "str_replace",
                                         "str_replace_strict", "str_replace_vstrict", "join", "Fn::Join", "Ref",
                                         "Fn::GetAtt", "yaql", "map_merge", "list_concat"]

    func resolve(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map(resolve))
        case .object(let object):
            if object.count == 1, let (key, argument) = object.first, Self.functions.contains(key) {
                return call(key, argument)
            }
            return .object(object.mapValues(resolve))
        default:
            return value
        }
    }

    private func call(_ function: String, _ rawArgument: JSONValue) -> JSONValue {
        switch function {
        case "Ref":
            guard let name = resolve(rawArgument).stringValue else { return .null }
            return parameter(name) ?? reference(name) ?? .null
        case "get_param":
            let argument = resolve(rawArgument)
            var path = argument.arrayValue ?? [argument]
            guard let name = path.first?.stringValue else { return .null }
            path.removeFirst()
            guard let root = parameter(name) else { return .null }
            return Self.walk(root, path) ?? .null
        case "get_resource":
            guard let name = resolve(rawArgument).stringValue else { return .null }
            return reference(name) ?? .null
        case "get_attr", "Fn::GetAtt":
            let argument = resolve(rawArgument)
            guard let items = argument.arrayValue, let name = items.first?.stringValue, items.count >= 2 else { return .null }
            return attribute(name, Array(items.dropFirst())) ?? .null
        case "list_join", "join", "Fn::Join":
            let argument = resolve(rawArgument)
            guard let items = argument.arrayValue, let separator = items.first?.stringValue else { return .null }
            var parts: [String] = []
            for list in items.dropFirst() {
                for element in list.arrayValue ?? [list] { parts.append(element.textValue) }
            }
            return .string(parts.joined(separator: separator))
        case "str_replace", "str_replace_strict", "str_replace_vstrict":
            let argument = resolve(rawArgument)
            guard let template = argument["template"]?.stringValue else { return .null }
            let params = argument["params"]?.objectValue ?? [:]
            var text = template
            for key in params.keys.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }) {
                text = text.replacingOccurrences(of: key, with: params[key]?.textValue ?? "")
            }
            return .string(text)
        case "map_merge":
            var merged: [String: JSONValue] = [:]
            for map in resolve(rawArgument).arrayValue ?? [] { merged.merge(map.objectValue ?? [:]) { $1 } }
            return .object(merged)
        case "list_concat":
            return .array((resolve(rawArgument).arrayValue ?? []).flatMap { $0.arrayValue ?? [] })
        default:
            return .null
        }
    }

    /// Follows a path of keys and indexes.
    static func walk(_ root: JSONValue, _ path: [JSONValue]) -> JSONValue? {
        var current = root
        for step in path {
            if let key = step.stringValue {
                if let child = current[key] { current = child }
                else if let index = Int(key), let child = current[index] { current = child }
                else { return nil }
            } else if let index = step.intValue, let child = current[index] {
                current = child
            } else { return nil }
        }
        return current
    }

    /// The names of resources a snippet refers to (get_resource, get_attr, Ref, Fn::GetAtt).
    static func references(in value: JSONValue) -> Set<String> {
        switch value {
        case .array(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(references(in: $1)) }
        case .object(let object):
            var result = Set<String>()
            for (key, child) in object {
                switch key {
                case "get_resource", "Ref":
                    if let name = child.stringValue { result.insert(name) }
                case "get_attr", "Fn::GetAtt":
                    if let name = child[0]?.stringValue { result.insert(name) }
                default: break
                }
                result.formUnion(references(in: child))
            }
            return result
        default:
            return []
        }
    }

    /// Replaces `%index%` in every string.
    static func substituteIndex(_ value: JSONValue, index: Int, variable: String = "%index%") -> JSONValue {
        switch value {
        case .string(let text): return .string(text.replacingOccurrences(of: variable, with: String(index)))
        case .array(let items): return .array(items.map { substituteIndex($0, index: index, variable: variable) })
        case .object(let object): return .object(object.mapValues { substituteIndex($0, index: index, variable: variable) })
        default: return value
        }
    }
}
