import Foundation

/// Stack actions (`POST /stacks/{name}/{id}/actions`).
public enum StackAction: String, Sendable, Hashable, Codable {
    case suspend, resume, check
}
