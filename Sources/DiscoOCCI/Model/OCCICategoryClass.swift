/// The class of an OCCI ``OCCICategory``: `kind`, `mixin` or `action`.
///
/// An open value set: unknown classes received on the wire round-trip unchanged.
/// Raw values are stored lower-cased.
public struct OCCICategoryClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    /// Creates a class from its wire name; the name is lower-cased.
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    /// A Kind: the type of an entity (GFD.183).
    public static let kind = OCCICategoryClass(rawValue: "kind")
    /// A Mixin: extra capabilities added to an entity.
    public static let mixin = OCCICategoryClass(rawValue: "mixin")
    /// An Action: an operation that can be invoked on an entity.
    public static let action = OCCICategoryClass(rawValue: "action")
    public var description: String { rawValue }
}
