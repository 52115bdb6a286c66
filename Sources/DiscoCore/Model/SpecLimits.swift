import Foundation

/// Limits a spec is checked against; operators can tighten them.
public struct SpecLimits: Sendable, Hashable {
    public var maxWorkers: Int
    public var minTTLSeconds: Int
    public var maxTTLSeconds: Int
    public var maxTags: Int

    public init(maxWorkers: Int = 1000, minTTLSeconds: Int = 300, maxTTLSeconds: Int = 90 * 86_400, maxTags: Int = 20) {
        self.maxWorkers = maxWorkers
        self.minTTLSeconds = minTTLSeconds
        self.maxTTLSeconds = maxTTLSeconds
        self.maxTags = maxTags
    }

    public static let standard = SpecLimits()
}
