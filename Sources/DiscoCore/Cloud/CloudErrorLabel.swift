import Foundation

/// The labels a cloud error is counted under: the service and the kind of failure.
public struct CloudErrorLabel: Sendable, Hashable, Comparable {
    public var service: String
    public var kind: CloudError.Kind

    public init(_ error: CloudError) {
        service = error.service
        kind = error.kind
    }

    public static func < (a: Self, b: Self) -> Bool { (a.service, a.kind.rawValue) < (b.service, b.kind.rawValue) }
}
