/// An OCCI protocol version such as `1.1`.
public struct OCCIVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }
    /// OCCI 1.1 (GFD.185), the version this codec speaks.
    public static let v1_1 = OCCIVersion(1, 1)
    /// OCCI 1.2 (GFD.223/229/225).
    public static let v1_2 = OCCIVersion(1, 2)
    public static func < (a: OCCIVersion, b: OCCIVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public var description: String { "\(major).\(minor)" }
}
